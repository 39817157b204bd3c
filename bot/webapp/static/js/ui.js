// Shared pieces of the views: notices, error boxes, badges, small forms.

import { h } from "./dom.js";
import { t } from "./i18n.js";

export function notice(message, detail, kind = "info") {
  return h("div", { class: `notice ${kind}`, role: kind === "stop" ? "alert" : "status" },
    h("p", { class: "notice-title" }, message), detail ? h("p", null, detail) : null);
}

/** The box shown for a failed call: the server's localized message when it sent one. */
export function problem(error) {
  const code = error?.code;
  if (code === "unavailable") {
    return notice(t("This part is not available yet."), t("Please try again later."), "soon");
  }
  if (code === "network") return notice(t("No connection to the bot."), t("Please try again later."), "error");
  if (code === "forbidden") return notice(error.serverMessage || t("You may not see this."), null, "error");
  return notice(error?.serverMessage || t("Something went wrong."), null, "error");
}

/** Runs an async action from a button: disables it meanwhile, shows the error under it. */
export async function act(button, out, action) {
  button.disabled = true;
  out.replaceChildren();
  try {
    return await action();
  } catch (error) {
    out.replaceChildren(problem(error));
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function badge(text, kind = "") { return h("span", { class: `badge ${kind}` }, text); }

export function empty(text) { return h("p", { class: "empty" }, text); }

export const STATUS = {
  answered: () => t("Answered"),
  partial: () => t("Partial"),
  not_started: () => t("Not started"),
  scheduled: () => t("Scheduled"),
  cancelled: () => t("Cancelled"),
  sending: () => t("Sending"),
  done: () => t("Sent"),
  draft: () => t("Draft"),
  open: () => t("Open"),
  closed: () => t("Closed"),
};

export function statusLabel(status) { return (STATUS[status] || (() => status))(); }
