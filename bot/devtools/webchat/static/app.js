// The demo's web chat: a Telegram-like client of the Bot API emulator (see server.py).
// Bot texts are Telegram-HTML; they are parsed here into DOM nodes for Telegram's tags only,
// everything else is text. Nothing is ever assigned to innerHTML.

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

// ------------------------------------------------------------------ Telegram HTML
const TAGS = {
  b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u", s: "s", strike: "s", del: "s",
  code: "code", pre: "pre", a: "a", blockquote: "blockquote", "tg-spoiler": "span",
  span: "span", "tg-emoji": "span",
};
const TAG_RE = /<(\/?)([a-zA-Z][a-zA-Z-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>/g;
const ATTR_RE = /([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const NAMED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };

function decode(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (all, name) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[name.toLowerCase()] ?? all;
  });
}

function attrs(source) {
  const found = {};
  for (const m of source.matchAll(ATTR_RE)) found[m[1].toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? "");
  return found;
}

function safeHref(href) {
  return /^(https?:|tg:|mailto:)/i.test(href) ? href : null;
}

function element(name, attributes) {
  const node = document.createElement(TAGS[name]);
  if (name === "a") {
    const href = safeHref(attributes.href || "");
    if (href) { node.href = href; node.target = "_blank"; node.rel = "noopener noreferrer"; }
  } else if (name === "tg-spoiler" || (name === "span" && attributes.class === "tg-spoiler")) {
    node.className = "spoiler";
    node.addEventListener("click", () => node.classList.add("shown"));
  } else if (name === "blockquote" && "expandable" in attributes) {
    node.className = "expandable";
  } else if (name === "code" && attributes.class) {
    node.dataset.language = attributes.class.replace(/^language-/, "");
  }
  return node;
}

// Bare addresses in a text become links, as Telegram shows them (never inside <a> or code).
function linkify(text, parent) {
  const plain = ["A", "CODE", "PRE"].includes(parent.nodeName);
  let last = 0;
  for (const m of plain ? [] : text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g)) {
    parent.appendChild(document.createTextNode(text.slice(last, m.index)));
    parent.appendChild(element("a", { href: m[0] })).textContent = m[0];
    last = m.index + m[0].length;
  }
  parent.appendChild(document.createTextNode(text.slice(last)));
}

export function renderTelegramHTML(source, root) {
  const stack = [{ name: null, node: root }];
  const top = () => stack[stack.length - 1];
  const text = (chunk) => { if (chunk) linkify(decode(chunk), top().node); };
  let last = 0;
  for (const m of source.matchAll(TAG_RE)) {
    text(source.slice(last, m.index));
    last = m.index + m[0].length;
    const [raw, closing, tagName, attributeText] = m;
    const name = tagName.toLowerCase();
    if (!(name in TAGS)) { top().node.appendChild(document.createTextNode(raw)); continue; }
    if (closing) {
      if (top().name === name) stack.pop();
      else top().node.appendChild(document.createTextNode(raw));
      continue;
    }
    const node = element(name, attrs(attributeText));
    top().node.appendChild(node);
    stack.push({ name, node });
  }
  text(source.slice(last));
}

// ------------------------------------------------------------------ state
const state = { chats: [], webapp: null, bot: null, seq: 0, messages: new Map(), panes: new Map(), unread: new Map() };
const api = async (path, body) => {
  const init = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const answer = await fetch(path, init);
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
};
const chatInfo = (id) => state.chats.find((c) => c.id === id);
const history = (chatId) => {
  if (!state.messages.has(chatId)) state.messages.set(chatId, new Map());
  return state.messages.get(chatId);
};
const initials = (title) => title.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();

// ------------------------------------------------------------------ toasts, alerts, Mini App
function toast(text) {
  const node = el("div", "toast", text);
  $("#toasts").appendChild(node);
  setTimeout(() => node.remove(), 3500);
}

function alertBox(text) {
  $("#alert-text").textContent = text;
  $("#alert").showModal();
}

async function openMiniApp(url, userId, chatId, title) {
  if (state.webappPublic && url.startsWith(state.webappPublic)) url = state.webapp + url.slice(state.webappPublic.length);
  const { init_data: initData } = await api(`/api/initdata?user_id=${userId}&chat_id=${chatId}`);
  const target = new URL(url, location.href);
  target.hash = `tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=weba`;
  $("#miniapp-title").textContent = title || "Mini App";
  $("#miniapp-frame").src = target.toString();
  $("#miniapp").hidden = false;
  document.body.classList.add("with-app");
}

// ------------------------------------------------------------------ messages
function keyboard(message, pane) {
  const box = el("div", "keyboard");
  for (const row of message.keyboard) {
    const line = el("div", "kb-row");
    for (const button of row) {
      let node;
      if (button.url) {
        node = el("a", "kb url", button.text);
        node.href = safeHref(button.url) || "#";
        node.target = "_blank";
        node.rel = "noopener noreferrer";
      } else {
        node = el("button", button.web_app ? "kb webapp" : "kb", button.text);
        node.type = "button";
        node.addEventListener("click", () => {
          if (button.web_app) openMiniApp(button.web_app.url, pane.userId(), message.chat_id, button.text);
          else press(pane, message, button.callback_data, node);
        });
      }
      line.appendChild(node);
    }
    box.appendChild(line);
  }
  return box;
}

function attachment(message) {
  const box = el("div", "media");
  if (message.photo) {
    const img = el("img", "photo");
    img.src = message.photo.url;
    img.alt = "photo";
    box.appendChild(img);
  }
  if (message.document) {
    const link = el("a", "document");
    link.href = message.document.url;
    link.download = message.document.name;
    link.appendChild(el("span", "doc-icon", "⬇"));
    const meta = el("span", "doc-meta");
    meta.appendChild(el("strong", "", message.document.name));
    meta.appendChild(el("small", "", `${(message.document.size / 1024).toFixed(1)} KB`));
    link.appendChild(meta);
    box.appendChild(link);
  }
  return box;
}

function bubble(message, pane) {
  const mine = !message.from_bot;
  const wrap = el("div", `msg ${mine ? "out" : "in"}`);
  wrap.dataset.id = message.message_id;
  const body = el("div", "bubble");
  if (pane.chatId < 0) {
    const who = mine ? chatInfo(message.sender_id)?.title : state.bot.name;
    body.appendChild(el("div", "sender", who || ""));
  }
  if (message.photo || message.document) body.appendChild(attachment(message));
  const text = el("div", "text");
  renderTelegramHTML(message.html || "", text);
  body.appendChild(text);
  // The message's own date (the emulator's, a person's too): a reload shows the same time.
  const time = message.date ? new Date(message.date * 1000).toTimeString().slice(0, 5) : "";
  const stamp = `${message.edits ? "edited " : ""}${time}`;
  body.appendChild(el("span", "time", stamp));
  wrap.appendChild(body);
  if (message.keyboard.length) wrap.appendChild(keyboard(message, pane));
  for (const link of text.querySelectorAll("a[href]")) deepLink(link, pane);
  return wrap;
}

function deepLink(link, pane) {
  const url = new URL(link.href);
  if (url.hostname !== "t.me" || url.pathname.slice(1) !== state.bot.username) return;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    send(pane, `/start ${url.searchParams.get("start") || ""}`.trim());
  });
}

function apply(event) {
  const message = event.message;
  const store = history(message.chat_id);
  if (event.kind === "delete") store.delete(message.message_id);
  else store.set(message.message_id, message);
  const pane = state.panes.get(message.chat_id);
  if (pane) pane.show(message, event.kind);
  else if (event.kind === "message") state.unread.set(message.chat_id, (state.unread.get(message.chat_id) || 0) + 1);
  sidebar();
}

async function poll() {
  for (;;) {
    try {
      const { events } = await api(`/api/feed?since=${state.seq}`);
      for (const event of events) { state.seq = event.seq; apply(event); }
    } catch (error) {
      console.error("feed:", error);
      await new Promise((done) => setTimeout(done, 1000));
    }
  }
}

// ------------------------------------------------------------------ actions
async function send(pane, text) {
  await api("/api/send", { user_id: pane.userId(), chat_id: pane.chatId, text });
}

async function press(pane, message, data, node) {
  node.classList.add("pressed");
  try {
    const { answer } = await api("/api/press", { user_id: pane.userId(), chat_id: pane.chatId, message_id: message.message_id, data });
    if (answer?.url) window.open(answer.url, "_blank", "noopener");
    if (answer?.text) (answer.show_alert ? alertBox : toast)(answer.text);
  } finally {
    node.classList.remove("pressed");
  }
}

async function upload(pane, file, caption) {
  const form = new FormData();
  form.append("user_id", pane.userId());
  form.append("chat_id", pane.chatId);
  form.append("caption", caption);
  form.append("file", file, file.name);
  const answer = await fetch("/api/upload", { method: "POST", body: form });
  if (!answer.ok) toast(`upload failed: ${answer.status}`);
}

async function commands(pane) {
  const list = $(".commands", pane.node);
  if (!list.hidden) { list.hidden = true; return; }
  const { commands: found } = await api(`/api/commands?user_id=${pane.userId()}&chat_id=${pane.chatId}`);
  list.replaceChildren();
  for (const command of found) {
    const item = el("li");
    item.appendChild(el("strong", "", `/${command.command}`));
    item.appendChild(el("span", "", command.description));
    item.addEventListener("click", () => { list.hidden = true; send(pane, `/${command.command}`); });
    list.appendChild(item);
  }
  if (!found.length) list.appendChild(el("li", "empty", "No commands yet: send /start"));
  list.hidden = false;
}

// ------------------------------------------------------------------ panes
function openPane(chatId, alone) {
  if (alone) for (const id of [...state.panes.keys()]) if (id !== chatId) closePane(id);
  if (state.panes.has(chatId)) { $("textarea", state.panes.get(chatId).node).focus(); return; }
  const info = chatInfo(chatId);
  const node = $("#pane-template").content.firstElementChild.cloneNode(true);
  node.dataset.chat = chatId;
  const pane = { chatId, node, userId: () => (chatId > 0 ? chatId : Number($(".as", node).value)) };
  $(".avatar", node).textContent = initials(info.title);
  $(".pane-title strong", node).textContent = info.title;
  $(".pane-title small", node).textContent = info.persona ? `${info.persona.role === "member" ? "focal point" : info.persona.role} · chat with @${state.bot.username}` : "group · the bot is a member";
  wirePane(pane, info);
  const box = $(".messages", node);
  pane.show = (message, kind) => {
    const old = box.querySelector(`.msg[data-id="${message.message_id}"]`);
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80 || !old;
    if (kind === "delete") { old?.remove(); return; }
    const fresh = bubble(message, pane);
    if (old) old.replaceWith(fresh);
    else box.appendChild(fresh);
    if (atBottom) box.scrollTop = box.scrollHeight;
    for (const img of fresh.querySelectorAll("img")) img.addEventListener("load", () => { if (atBottom) box.scrollTop = box.scrollHeight; });
  };
  for (const message of history(chatId).values()) pane.show(message, "message");
  state.panes.set(chatId, pane);
  state.unread.delete(chatId);
  $("#panes").appendChild(node);
  sidebar();
  $("textarea", node).focus();
}

function wirePane(pane, info) {
  const node = pane.node;
  const lang = $(".lang", node);
  const as = $(".as", node);
  if (info.persona) {
    as.remove();
    lang.value = info.language;
    lang.addEventListener("change", () => api("/api/language", { user_id: pane.chatId, language: lang.value }));
  } else {
    lang.remove();
    for (const chat of state.chats.filter((c) => c.persona)) as.appendChild(new Option(chat.title, chat.id));
  }
  $(".close", node).addEventListener("click", () => closePane(pane.chatId));
  $(".menu", node).addEventListener("click", () => commands(pane));
  const appButton = $(".app", node);
  appButton.hidden = !state.webapp;
  let appUrl = state.webapp;
  appButton.addEventListener("click", () => openMiniApp(appUrl, pane.userId(), pane.chatId, appButton.textContent));
  if (pane.chatId > 0) {  // the menu button the bot set for this chat (setChatMenuButton)
    api(`/api/commands?user_id=${pane.userId()}&chat_id=${pane.chatId}`).then(({ menu_button: menu }) => {
      if (menu?.type !== "web_app") return;
      appUrl = menu.web_app.url;
      appButton.textContent = menu.text;
      appButton.hidden = false;
    });
  }
  const file = $(".file", node);
  const chip = $(".attachment", node);
  $(".attach", node).addEventListener("click", () => file.click());
  file.addEventListener("change", () => {
    chip.hidden = !file.files.length;
    $("span", chip).textContent = file.files.length ? `📎 ${file.files[0].name} — the message becomes its caption` : "";
  });
  $("button", chip).addEventListener("click", () => { file.value = ""; chip.hidden = true; });
  const input = $("textarea", node);
  const grow = () => { input.style.height = "auto"; input.style.height = `${Math.min(input.scrollHeight, 160)}px`; };
  input.addEventListener("input", grow);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); $(".composer", node).requestSubmit(); }
  });
  $(".composer", node).addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value;
    if (file.files.length) {
      await upload(pane, file.files[0], text.trim());
      file.value = "";
      chip.hidden = true;
    } else if (text.trim()) await send(pane, text);
    else return;
    input.value = "";
    grow();
  });
}

function closePane(chatId) {
  state.panes.get(chatId)?.node.remove();
  state.panes.delete(chatId);
  sidebar();
}

function sidebar() {
  document.body.classList.toggle("no-panes", state.panes.size === 0); // phones: the list
  const list = $("#chatlist");
  list.replaceChildren();
  for (const chat of state.chats) {
    const item = el("li", state.panes.has(chat.id) ? "chat open" : "chat");
    item.dataset.chat = chat.id;
    item.appendChild(el("div", "avatar", initials(chat.title)));
    const meta = el("div", "meta");
    meta.appendChild(el("strong", "", chat.title));
    const lastMessage = [...history(chat.id).values()].pop();
    const role = chat.persona ? `${chat.persona.role === "member" ? "focal point" : chat.persona.role} · ${chat.language}` : "group";
    meta.appendChild(el("small", "", lastMessage ? decode(lastMessage.html.replace(/<[^>]*>/g, "")).slice(0, 60) : role));
    item.appendChild(meta);
    const unread = state.unread.get(chat.id);
    if (unread) item.appendChild(el("span", "badge", String(unread)));
    const add = el("button", "add", "+");
    add.type = "button";
    add.title = "Open beside the others";
    add.addEventListener("click", (event) => { event.stopPropagation(); openPane(chat.id, false); });
    item.appendChild(add);
    item.addEventListener("click", () => openPane(chat.id, true));
    list.appendChild(item);
  }
}

async function main() {
  const start = await api("/api/state");
  Object.assign(state, { chats: start.chats, webapp: start.webapp_url, webappPublic: start.webapp_public_url, bot: start.bot });
  const { events } = await api("/api/feed?since=0&wait=0");
  for (const event of events) { state.seq = event.seq; apply(event); }
  const wanted = Number(new URLSearchParams(location.search).get("chat")) || state.chats[0].id;
  openPane(wanted, true);
  $("#three-languages").addEventListener("click", () => {
    state.chats.filter((c) => c.persona?.role === "member").forEach((c, i) => openPane(c.id, i === 0));
  });
  $("#deeplink").addEventListener("submit", (event) => {
    event.preventDefault();
    const pane = [...state.panes.values()][0];
    const param = $("#deeplink-param").value.trim();
    if (pane) send(pane, param ? `/start ${param}` : "/start");
  });
  $("#miniapp-close").addEventListener("click", () => {
    $("#miniapp").hidden = true;
    $("#miniapp-frame").src = "about:blank";
    document.body.classList.remove("with-app");
  });
  poll();
}

main();
