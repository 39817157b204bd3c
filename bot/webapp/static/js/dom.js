// DOM helpers. Text always goes in as text nodes, never parsed as HTML: user text stays text.

/** h("button", {class: "x", onclick: fn}, "label", child) -> element */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "checked" || key === "value" || key === "selected") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid == null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

/** Appends the kids (arrays flattened, null/false skipped) to `parent`. */
export function put(parent, ...kids) {
  for (const kid of kids.flat(Infinity)) {
    if (kid != null && kid !== false) parent.append(kid instanceof Node ? kid : String(kid));
  }
  return parent;
}

/** A labelled form field. */
export function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), control,
    hint ? h("small", { class: "hint" }, hint) : null);
}

/** A <select> with [value, label] pairs. */
export function select(options, value, onchange, props = {}) {
  return h("select", { ...props, onchange },
    options.map(([v, label]) => h("option", { value: v, selected: String(v) === String(value) }, label)));
}

/** Calls fn after the user stops typing for `ms`. */
export function debounce(fn, ms = 300) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** A width in percent (CSSOM, allowed by the CSP; no inline style attribute). */
export function bar(fraction, cls = "") {
  const fill = h("span", { class: "fill " + cls });
  fill.style.setProperty("width", `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`);
  return h("span", { class: "meter" }, fill);
}

/** Only http(s) links get an href. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch { return null; }
}

const TAGS = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL", "CODE", "PRE",
  "BLOCKQUOTE", "TG-SPOILER", "SPAN", "A", "BR"]);

/** Telegram-HTML (already sanitized by the server) shown as Telegram does, rebuilt node by node
 * from an inert parse: only the tags Telegram knows, text as text nodes, http(s) links only. */
export function telegramHtml(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const kids = [...node.childNodes].map(copy);
    if (!TAGS.has(node.tagName)) return kids;
    const out = h(node.tagName.toLowerCase() === "tg-spoiler" ? "span" : node.tagName.toLowerCase(),
      { class: node.tagName === "TG-SPOILER" || node.classList.contains("tg-spoiler") ? "spoiler" : null });
    if (node.tagName === "A") {
      const href = safeUrl(node.getAttribute("href") || "");
      if (href) { out.setAttribute("href", href); out.setAttribute("target", "_blank"); out.setAttribute("rel", "noopener"); }
    }
    out.append(...kids.flat().filter(Boolean));
    return out;
  };
  return h("div", { class: "tg-message" }, [...doc.body.childNodes].map(copy));
}

/** Saves a Blob as a file (the API's downloads need the Authorization header, so no plain link). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
