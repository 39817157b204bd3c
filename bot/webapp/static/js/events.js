// A focal point's events: a month calendar and the list, in the member's zone;
// RSVP toggles (yes / maybe / no) and "add to calendar" (the event's ICS file).

import { api, download } from "./api.js";
import { h, put, safeUrl, saveBlob } from "./dom.js";
import { fmt, state, t, wallClock } from "./i18n.js";
import { act, badge, empty } from "./ui.js";

const RSVP = [["yes", () => t("Going")], ["maybe", () => t("Maybe")], ["no", () => t("Not going")]];

function localDay(event) {
  return event.starts_local ? wallClock(event.starts_local, state.zone).date : "";
}

function rsvpButtons(event, card) {
  const out = h("div");
  const buttons = RSVP.map(([status, label]) => h("button", {
    type: "button", class: "seg", "aria-pressed": String(event.rsvp === status), "data-rsvp": status,
    onclick: (e) => act(e.currentTarget, out, async () => {
      const updated = await api(`events/${encodeURIComponent(event.id)}/rsvp`, { method: "POST", body: { status } });
      card.replaceWith(eventCard(updated));
    }),
  }, label()));
  return [h("div", { class: "segmented", role: "group", "aria-label": t("Will you attend?") }, buttons), out];
}

export function eventCard(event) {
  const card = h("article", { class: "card event", "data-event": event.id });
  const cancelled = event.status === "cancelled";
  const when = event.all_day ? fmt.day(event.starts_local)
    : `${fmt.dateTime(event.starts_local)}${event.ends_local ? ` – ${fmt.time(event.ends_local)}` : ""}`;
  const where = event.online ? t("Online") : event.place || "";
  const out = h("div");
  const join = event.join_url && safeUrl(event.join_url);
  put(card,
    h("h3", null, event.title, cancelled ? badge(t("Cancelled"), "bad") : null),
    h("p", { class: "when" }, when),
    where ? h("p", { class: "muted" }, where) : null,
    event.going > 0 ? h("p", { class: "muted" }, t("{n} going", { n: fmt.number(event.going) })) : null,
    event.can_rsvp === false ? null : rsvpButtons(event, card),
    h("div", { class: "actions" },
      h("button", {
        type: "button", class: "link",
        onclick: (e) => act(e.currentTarget, out, async () => {
          saveBlob(...await download(`events/${encodeURIComponent(event.id)}/ics`, "event.ics"));
        }),
      }, t("Add to calendar")),
      join ? h("a", { href: join, target: "_blank", rel: "noopener", class: "link" }, t("Join link")) : null),
    out);
  return card;
}

function calendar(events, month, selected, onpick, onmonth) {
  const [year, mon] = month;
  const days = new Map();
  for (const event of events) {
    const day = localDay(event);
    days.set(day, (days.get(day) || 0) + 1);
  }
  const first = new Date(Date.UTC(year, mon, 1));
  const lead = (first.getUTCDay() + 6) % 7;  // weeks start on Monday
  const count = new Date(Date.UTC(year, mon + 1, 0)).getUTCDate();
  const today = wallClock(new Date().toISOString(), state.zone).date;
  const cells = [...Array(lead)].map(() => h("span", { class: "day blank" }));
  for (let d = 1; d <= count; d++) {
    const iso = `${year}-${String(mon + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
    const n = days.get(iso) || 0;
    cells.push(h("button", {
      type: "button", class: `day${n ? " has" : ""}${iso === today ? " today" : ""}`,
      "aria-pressed": String(iso === selected), "data-day": iso, disabled: !n,
      "aria-label": n ? `${fmt.day(`${iso}T12:00:00Z`)}: ${t("{n} events", { n })}` : null,
      onclick: () => onpick(iso === selected ? null : iso),
    }, String(d)));
  }
  return h("div", { class: "calendar" },
    h("div", { class: "cal-head" },
      h("button", { type: "button", class: "icon", "aria-label": t("Previous month"), onclick: () => onmonth(-1) }, "‹"),
      h("strong", { class: "cal-title" }, fmt.month(year, mon)),
      h("button", { type: "button", class: "icon", "aria-label": t("Next month"), onclick: () => onmonth(1) }, "›")),
    h("div", { class: "grid weekdays" }, fmt.weekdays().map((w) => h("span", null, w))),
    h("div", { class: "grid" }, cells));
}

export async function eventsView(root) {
  const events = await api("events");
  const start = events[0] ? localDay(events[0]) : wallClock(new Date().toISOString(), state.zone).date;
  const view = { month: [Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1], day: null };
  const cal = h("div");
  const list = h("div", { class: "list" });
  const draw = () => {
    cal.replaceChildren(calendar(events, view.month, view.day, (day) => { view.day = day; draw(); }, (step) => {
      const [y, m] = view.month;
      view.month = [y + Math.floor((m + step) / 12), (m + step + 12) % 12];
      view.day = null;
      draw();
    }));
    const shown = view.day ? events.filter((e) => localDay(e) === view.day) : events;
    list.replaceChildren(...(shown.length ? shown.map(eventCard) : [empty(t("No upcoming events."))]));
  };
  draw();
  put(root,
    h("p", { class: "muted zone" }, t("Times in {zone}", { zone: state.zoneLabel || state.zone || "" })),
    cal, list);
}
