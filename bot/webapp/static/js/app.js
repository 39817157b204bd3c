// The Mini App: reads the init data, applies Telegram's theme, loads the member's texts
// and shows the views as tabs, with a stack for the sub-views (Telegram's back button).

import { api, hasInitData, onUnauthorized, setInitData } from "./api.js";
import { h } from "./dom.js";
import { loadStrings, pickLanguage, state, t } from "./i18n.js";
import { notice, problem } from "./ui.js";
import { eventsView } from "./events.js";
import { coursesView } from "./courses.js";
import { surveyForm, surveysView } from "./surveys.js";
import { boardView, surveyBoard } from "./board.js";
import { broadcastsView } from "./broadcasts.js";
import { manageEventsView } from "./orgevents.js";

const tg = window.Telegram?.WebApp;
const launch = new URLSearchParams(location.hash.slice(1));
const main = document.getElementById("app");
const stack = [];
export const session = { profile: null, me: null };

function applyTheme() {
  let params = tg?.themeParams;
  if (!params || !Object.keys(params).length) {
    try { params = JSON.parse(launch.get("tgWebAppThemeParams") || "{}"); } catch { params = {}; }
  }
  const root = document.documentElement;
  for (const [key, value] of Object.entries(params || {})) {
    if (/^[a-z_]+$/.test(key) && /^#[0-9a-f]{3,8}$/i.test(String(value))) {
      root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
    }
  }
  const scheme = tg?.colorScheme || launch.get("tgWebAppColorScheme");
  if (scheme === "dark" || scheme === "light") root.dataset.scheme = scheme;
}

function initDataUser(raw) {
  try { return JSON.parse(new URLSearchParams(raw).get("user") || "{}"); } catch { return {}; }
}

/** Shows the top of the stack (resolves when the view is drawn). */
async function show() {
  const top = stack.at(-1);
  document.getElementById("title").textContent = top.title;
  const section = h("section", { class: "view" }, h("p", { class: "loading", "aria-busy": "true" }, t("Loading…")));
  main.replaceChildren(section);
  const back = document.getElementById("back");
  if (tg?.BackButton) {
    if (stack.length > 1) tg.BackButton.show(); else tg.BackButton.hide();
  } else {
    back.hidden = stack.length <= 1;
  }
  window.scrollTo(0, 0);
  try {
    const body = h("div");
    await top.render(body);
    section.replaceChildren(body);
    performance.mark("view-ready");  // read by bench/miniapp_page.py
  } catch (error) {
    section.replaceChildren(problem(error));
  }
}

/** Opens a sub-view on top of the current one. */
export function go(title, render) { stack.push({ title, render }); return show(); }
export function back() { if (stack.length > 1) { stack.pop(); show(); } }
/** Re-renders the current view (after a change). */
export function refresh() { show(); }

function tabs(profile) {
  const list = [
    ["events", t("Events"), eventsView],
    ["courses", t("Courses"), coursesView],
    ["surveys", t("Surveys"), surveysView],
  ];
  if (profile.can_organize) {
    list.push(["board", t("Survey board"), boardView], ["broadcasts", t("Broadcasts"), broadcastsView],
      ["manage", t("Manage events"), manageEventsView]);
  }
  return list;
}

function openTab(nav, [id, title, render]) {
  for (const b of nav.children) {
    b.setAttribute("aria-selected", String(b.dataset.tab === id));
    if (b.dataset.tab === id) b.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  stack.length = 0;
  stack.push({ title, render });
  return show();
}

/** The bot's "Open the app" buttons link to a view: ?view=event|survey|broadcasts&id=... */
async function openLinkedView(nav, all) {
  const query = new URLSearchParams(location.search);
  const view = query.get("view");
  const id = query.get("id") || "";
  const tab = (key) => all.find(([name]) => name === key);
  if (view === "survey" && id) {
    const board = tab("board");
    await openTab(nav, board || tab("surveys"));
    return board ? go(board[1], (root) => surveyBoard(root, id)) : go(tab("surveys")[1], (root) => surveyForm(root, id));
  }
  const target = view === "broadcasts" ? tab("broadcasts") : tab("events");
  await openTab(nav, target || all[0]);
  const card = id && document.querySelector(`[data-${view === "broadcasts" ? "broadcast" : "event"}="${CSS.escape(id)}"]`);
  if (card) { card.classList.add("focus"); card.scrollIntoView({ block: "center" }); }
}

function stop(message, detail) {
  document.getElementById("tabs").replaceChildren();
  document.getElementById("title").textContent = "Cinterfor";
  main.replaceChildren(notice(message, detail, "stop"));
}

async function start() {
  applyTheme();
  document.getElementById("back").addEventListener("click", back);
  tg?.BackButton?.onClick?.(back);
  const raw = tg?.initData || launch.get("tgWebAppData") || "";
  setInitData(raw);
  const guess = pickLanguage(initDataUser(raw).language_code || navigator.language);
  if (!hasInitData()) {
    await loadStrings(guess).catch(() => {});
    return stop(t("Open this page from the bot in Telegram."), t("It needs Telegram to tell it who you are."));
  }
  const unauthorized = () => stop(t("We could not verify who you are."),
    t("Close this page and open it again from the bot in Telegram."));
  // /me, /profile and the texts in the likeliest language all at once: a phone's round trips are slow.
  const texts = loadStrings(guess).catch(() => {});
  const profileCall = api("profile").catch(() => null);
  let me;
  try {
    me = await api("me");
  } catch (error) {
    await texts;
    if (error.status === 401) unauthorized();
    else main.replaceChildren(problem(error));
    return;
  }
  onUnauthorized.push(unauthorized);  // later calls: init data expired while the page was open
  session.me = me;
  state.zone = me.timezone || undefined;
  await texts;
  const language = pickLanguage(me.language || guess);
  if (language !== state.lang) await loadStrings(language).catch(() => {});
  const profile = (await profileCall) || { ...me, can_organize: me.role === "organizer" || me.role === "admin" };
  session.profile = profile;
  state.zoneLabel = profile.timezone_label || me.timezone || "";
  const nav = document.getElementById("tabs");
  const all = tabs(profile);
  nav.replaceChildren(...all.map((tab) => h("button", {
    type: "button", role: "tab", "data-tab": tab[0], onclick: () => openTab(nav, tab),
  }, tab[1])));
  tg?.ready?.();
  tg?.expand?.();
  openLinkedView(nav, all);
}

start();
