// Broadcasts: the history with live delivery counts, and the composer (texts per language,
// audience with a live recipient count, a preview as Telegram shows it, schedule).

import { api } from "./api.js";
import { debounce, field, h, put, telegramHtml } from "./dom.js";
import { fmt, locale, state, t, zoneOffset } from "./i18n.js";
import { back, go } from "./app.js";
import { act, badge, empty, notice, problem, statusLabel } from "./ui.js";

const POLL_MS = 3000;
const LANGS = [["es", "Español"], ["pt", "Português"], ["en", "English"]];
const ROLES = () => [["member", t("Members")], ["organizer", t("Organizers")], ["admin", t("Administrators")]];

function counts(item) {
  const c = item.counts || {};
  const total = (c.queued || 0) + (c.sent || 0) + (c.blocked || 0) + (c.failed || 0) || 1;
  const seg = (key) => {
    const part = h("span", { class: `seg-${key}` });
    part.style.setProperty("width", `${((c[key] || 0) / total) * 100}%`);
    return part;
  };
  return [
    h("span", { class: "stack" }, seg("sent"), seg("queued"), seg("blocked"), seg("failed")),
    h("p", { class: "counts" },
      ["queued", "sent", "blocked", "failed"].map((key) => h("span", { class: `count-${key}`, "data-count": key },
        `${{ queued: t("Queued"), sent: t("Sent"), blocked: t("Blocked"), failed: t("Failed") }[key]}: ${fmt.number(c[key] || 0)}`))),
    (item.failures || []).length ? h("ul", { class: "failures muted" },
      item.failures.map((f) => h("li", null, `${f.reason}: ${fmt.number(f.count)}`))) : null,
  ];
}

function historyRow(item) {
  return h("article", { class: "card broadcast", "data-broadcast": item.id },
    h("h3", null, item.snippet, badge(statusLabel(item.status))),
    h("p", { class: "muted" }, item.send_at_local && item.status === "scheduled"
      ? t("Scheduled for {date}", { date: fmt.dateTime(item.send_at_local) }) : fmt.dateTime(item.created_local)),
    counts(item));
}

export async function broadcastsView(root) {
  const list = h("div", { class: "list" });
  const draw = (items) => list.replaceChildren(...(items.length ? items.map(historyRow) : [empty(t("No broadcasts yet."))]));
  draw(await api("broadcasts"));
  const timer = setInterval(async () => {
    if (!list.isConnected) { clearInterval(timer); return; }
    try { draw(await api("broadcasts")); } catch { /* keep the last counts */ }
  }, POLL_MS);
  put(root,
    h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => go(t("New broadcast"), composer) }, t("New broadcast"))),
    h("p", { class: "muted" }, t("Delivery counts update every few seconds.")), list);
}

/** Checkbox chips; returns [element, () => selected values]. */
export function chips(name, options) {
  const box = h("div", { class: "chips" }, options.map(([value, label]) => h("label", { class: "chip" },
    h("input", { type: "checkbox", name, value }), h("span", null, label))));
  return [box, () => [...box.querySelectorAll("input:checked")].map((i) => i.value)];
}

/** The network's countries (those of its institutions' time zones), named in the member's language. */
async function networkCountries() {
  const zones = await api("timezones").catch(() => []);
  const names = new Intl.DisplayNames([locale()], { type: "region" });
  const codes = [...new Set(zones.map((z) => z.country).filter(Boolean))];
  return codes.map((code) => [code, names.of(code) || code]).sort((a, b) => a[1].localeCompare(b[1], locale()));
}

/** The audience builder: [element, () => audience]. */
export async function audienceBuilder(onchange) {
  const [countries, getCountries] = chips("countries", await networkCountries());
  const [roles, getRoles] = chips("roles", ROLES());
  const [langs, getLangs] = chips("languages", LANGS);
  const institutions = h("input", { type: "text", name: "institutions", placeholder: "inet, senai", autocomplete: "off" });
  const box = h("fieldset", { class: "audience" }, h("legend", null, t("Audience")),
    h("p", { class: "hint" }, t("Nothing ticked means everyone.")),
    field(t("Countries"), countries), field(t("Roles"), roles), field(t("Languages"), langs),
    field(t("Institutions"), institutions, t("Institution ids, separated by commas")));
  box.addEventListener("input", onchange);
  box.addEventListener("change", onchange);
  const read = () => ({ countries: getCountries(), roles: getRoles(), languages: getLangs(),
    institutions: institutions.value.split(",").map((s) => s.trim()).filter(Boolean) });
  return [box, read];
}

async function composer(root) {
  const texts = Object.fromEntries(LANGS.map(([code]) => [code, h("textarea", { name: `text-${code}`, rows: 3, maxlength: 4096 })]));
  const count = h("p", { class: "recipients", "aria-live": "polite" });
  const preview = h("div", { class: "previews" });
  const out = h("div");
  const body = () => ({
    texts: Object.fromEntries(Object.entries(texts).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v)),
    audience: readAudience(),
  });
  const refreshPreview = debounce(async () => {
    try {
      const data = await api("broadcasts/preview", { method: "POST", body: body() });
      count.textContent = t("Recipients: {n}", { n: fmt.number(data.recipients) });
      if (data.waiting) count.append(h("small", { class: "muted waiting" }, " · " + t("Not included until their institution is confirmed: {n}", { n: fmt.number(data.waiting) })));
      preview.replaceChildren(...Object.entries(data.preview || {}).map(([lang, p]) => h("div", { class: "bubble-wrap" },
        h("small", { class: "muted" }, `${lang} · ${t("{n} characters", { n: fmt.number(p.chars) })}`), telegramHtml(p.html))));
    } catch (error) {
      count.replaceChildren(problem(error));
    }
  }, 400);
  const [audience, readAudience] = await audienceBuilder(refreshPreview);
  const when = h("input", { type: "datetime-local", name: "send_at" });
  const send = h("button", { type: "submit", class: "primary" }, t("Send"));
  const form = h("form", { class: "composer", novalidate: true },
    LANGS.map(([code, name]) => field(name, texts[code])),
    h("p", { class: "hint" }, t("Telegram formatting: <b>bold</b>, <i>italic</i>, links.")),
    audience, count,
    h("h3", null, t("Preview")), preview,
    field(t("Schedule (optional)"), when, t("Times in {zone}", { zone: state.zoneLabel || state.zone || "" })),
    h("div", { class: "actions sticky" }, send), out);
  form.addEventListener("input", (e) => { if (e.target.tagName === "TEXTAREA") refreshPreview(); });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = body();
    if (!Object.keys(data.texts).length) { out.replaceChildren(notice(t("Write the text in at least one language."), null, "error")); return; }
    const sendAt = when.value ? `${when.value}:00${zoneOffset(state.zone || "UTC", when.value)}` : null;
    act(send, out, async () => {
      const result = await api("broadcasts", { method: "POST", body: { ...data, send_at: sendAt } });
      out.replaceChildren(notice(t("Broadcast queued for {n} recipients.", { n: fmt.number(result.recipients) }), null, "ok"));
      setTimeout(back, 1200);
    });
  });
  refreshPreview();
  put(root, form);
}
