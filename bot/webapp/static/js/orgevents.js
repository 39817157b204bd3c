// Organizers' events: RSVP counts, create / edit / cancel with a time zone picker.

import { api } from "./api.js";
import { field, h, put, select } from "./dom.js";
import { fmt, state, t, wallClock } from "./i18n.js";
import { back, go, refresh } from "./app.js";
import { act, badge, empty, notice } from "./ui.js";

const LANGS = [["es", "Español"], ["pt", "Português"], ["en", "English"]];

function eventRow(event) {
  const out = h("div");
  const c = event.counts || {};
  const cancelled = event.status === "cancelled";
  let armed = false;
  const cancel = h("button", { type: "button", class: "danger", "data-action": "cancel",
    onclick: (e) => {
      if (!armed) { armed = true; e.currentTarget.textContent = t("Tap again to cancel the event"); return; }
      act(e.currentTarget, out, async () => {
        await api(`events/${encodeURIComponent(event.id)}/cancel`, { method: "POST", body: {} });
        refresh();
      });
    } }, t("Cancel event"));
  return h("article", { class: "card event", "data-event": event.id },
    h("h3", null, event.title, cancelled ? badge(t("Cancelled"), "bad") : null),
    h("p", { class: "when" }, fmt.dateTime(event.starts_local)),
    h("p", { class: "tags" },
      badge(`${t("Yes")}: ${fmt.number(c.yes || 0)}`, "good"),
      badge(`${t("Maybe")}: ${fmt.number(c.maybe || 0)}`, "warn"),
      badge(`${t("No")}: ${fmt.number(c.no || 0)}`, "bad")),
    cancelled ? null : h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: () => go(t("Edit event"), (root) => eventForm(root, event)) }, t("Edit")),
      cancel),
    out);
}

export async function manageEventsView(root) {
  const events = await api("board/events");
  put(root,
    h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => go(t("New event"), (r) => eventForm(r, null)) }, t("New event"))),
    ...(events.length ? events.map(eventRow) : [empty(t("No upcoming events."))]));
}

async function zonePicker(current) {
  let zones = [];
  try { zones = await api("timezones"); } catch { /* fall back to the member's zone only */ }
  if (!zones.some((z) => z.id === current)) zones.unshift({ id: current, label: current, country: "" });
  return select(zones.map((z) => [z.id, z.country ? `${z.label} (${z.country})` : z.label]), current, null, { name: "timezone" });
}

function minutesBetween(start, end) {
  return start && end ? Math.max(15, Math.round((new Date(end) - new Date(start)) / 60000)) : 60;
}

async function eventForm(root, event) {
  const zone = event?.timezone || state.zone || "UTC";
  const wall = event ? wallClock(event.starts_local, zone) : { date: "", time: "10:00" };
  const titles = Object.fromEntries(LANGS.map(([code]) => [code, h("input", { type: "text", name: `title-${code}`, maxlength: 200,
    value: event && code === state.lang ? event.title : "" })]));
  const date = h("input", { type: "date", name: "date", required: true, value: wall.date });
  const time = h("input", { type: "time", name: "time", required: true, value: wall.time });
  const tz = await zonePicker(zone);
  const duration = h("input", { type: "number", name: "duration", min: 15, step: 15, value: minutesBetween(event?.starts_local, event?.ends_local) });
  const online = h("input", { type: "checkbox", name: "online", checked: event ? Boolean(event.online) : true });
  const join = h("input", { type: "url", name: "join_url", placeholder: "https://", value: event?.join_url || "" });
  const place = h("input", { type: "text", name: "place", maxlength: 200, value: event?.place || "" });
  const out = h("div");
  const save = h("button", { type: "submit", class: "primary" }, event ? t("Save changes") : t("Create event"));
  const form = h("form", { class: "event-form", novalidate: true },
    LANGS.map(([code, name]) => field(`${t("Title")} · ${name}`, titles[code])),
    h("div", { class: "row" }, field(t("Date"), date), field(t("Time"), time)),
    field(t("Time zone"), tz), field(t("Duration (minutes)"), duration),
    h("label", { class: "choice" }, online, h("span", null, t("Online"))),
    field(t("Join link"), join), field(t("Place"), place),
    h("div", { class: "actions sticky" }, save), out);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const title = Object.fromEntries(Object.entries(titles).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
    if (!Object.keys(title).length || !date.value || !time.value) {
      out.replaceChildren(notice(t("Give a title, a date and a time."), null, "error"));
      return;
    }
    const body = { title, starts_local: `${date.value}T${time.value}`, timezone: tz.value,
      duration_minutes: Number(duration.value) || 60, online: online.checked,
      join_url: join.value.trim() || null, place: place.value.trim() || null };
    if (!event) body.audience = {};
    else if (Object.keys(title).length === 1 && title[state.lang] === event.title) delete body.title;
    act(save, out, async () => {
      await api(event ? `events/${encodeURIComponent(event.id)}` : "events", { method: event ? "PATCH" : "POST", body });
      out.replaceChildren(notice(event ? t("Event saved.") : t("Event created."), null, "ok"));
      setTimeout(back, 800);
    });
  });
  put(root, form);
}
