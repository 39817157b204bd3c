// The page's texts (from the bot's gettext catalogs, /app/api/strings) and Intl formatting
// in the member's locale and time zone.

const LOCALES = { es: "es", pt: "pt-BR", en: "en" };
let strings = {};
export const state = { lang: "es", zone: undefined, zoneLabel: "" };

export function pickLanguage(code) {
  const base = String(code || "").toLowerCase().split(/[-_]/)[0];
  return base in LOCALES ? base : "es";
}

export async function loadStrings(lang) {
  const response = await fetch(`/app/api/strings?lang=${encodeURIComponent(lang)}`);
  if (!response.ok) throw new Error(`strings: ${response.status}`);
  const data = await response.json();
  strings = data.strings || {};
  state.lang = pickLanguage(data.lang);
  document.documentElement.lang = state.lang;
}

/** The text of msgid `id` in the member's language, with {placeholders} filled in. */
export function t(id, values) {
  const text = strings[id] || id;
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

export function locale() { return LOCALES[state.lang]; }

function format(iso, options) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), { timeZone: state.zone, ...options }).format(date);
}

const capitalize = (text) => text.charAt(0).toLocaleUpperCase(locale()) + text.slice(1);

export const fmt = {
  dateTime: (iso) => format(iso, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
  date: (iso) => format(iso, { day: "numeric", month: "short", year: "numeric" }),
  time: (iso) => format(iso, { hour: "2-digit", minute: "2-digit" }),
  day: (iso) => format(iso, { weekday: "long", day: "numeric", month: "long" }),
  month: (year, month) => capitalize(new Intl.DateTimeFormat(locale(), { month: "long", year: "numeric", timeZone: "UTC" })
    .format(Date.UTC(year, month, 15))),
  weekdays: () => [...Array(7).keys()].map((i) => new Intl.DateTimeFormat(locale(), { weekday: "narrow", timeZone: "UTC" })
    .format(Date.UTC(2024, 0, 1 + i))),  // 2024-01-01 was a Monday
  number: (n) => new Intl.NumberFormat(locale()).format(n),
  percent: (x) => new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(x || 0),
};

/** The wall-clock parts of `iso` in `zone`: {date: "YYYY-MM-DD", time: "HH:MM"}. */
export function wallClock(iso, zone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The UTC offset ("-03:00") of `zone` at the naive local time `local` ("YYYY-MM-DDTHH:MM"). */
export function zoneOffset(zone, local) {
  const probe = new Date(`${local}:00Z`);
  const name = new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(probe).find((p) => p.type === "timeZoneName")?.value || "GMT";
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1]}:${match[2] || "00"}` : "+00:00";
}
