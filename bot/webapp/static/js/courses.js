// The course catalog: search, filters (topic, country, modality) and pages.

import { api } from "./api.js";
import { debounce, field, h, put, safeUrl, select } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { badge, empty, problem } from "./ui.js";

const MODALITIES = () => [["", t("Any modality")], ["online", t("Online")], ["blended", t("Blended")],
  ["in-person", t("In person")]];

function courseCard(course) {
  const url = course.url && safeUrl(course.url);
  return h("article", { class: "card course" },
    h("h3", null, url ? h("a", { href: url, target: "_blank", rel: "noopener" }, course.title) : course.title),
    h("p", { class: "muted" }, [course.institution, course.country].filter(Boolean).join(" · ")),
    h("p", { class: "tags" },
      badge(MODALITIES().find(([v]) => v === course.modality)?.[1] || course.modality || ""),
      (course.topics || []).map((topic) => badge(topic, "soft")),
      course.enrol_open ? badge(t("Enrolment open"), "good") : null),
    course.starts ? h("p", { class: "when" }, t("Starts {date}", { date: fmt.date(course.starts) })) : null);
}

export async function coursesView(root) {
  const query = { q: "", topic: "", country: "", modality: "", page: 1 };
  const results = h("div", { class: "list" });
  const filters = h("div", { class: "filters" });
  let first = true;
  const load = async () => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null));
    let data;
    try {
      data = await api(`courses?${params}`);
    } catch (error) {
      if (first) throw error;
      results.replaceChildren(problem(error));
      return;
    }
    if (first) { filters.replaceChildren(...filterControls(data)); first = false; }
    results.replaceChildren(
      h("p", { class: "muted" }, t("{n} courses", { n: fmt.number(data.total) })),
      ...(data.items.length ? data.items.map(courseCard) : [empty(t("No courses match."))]),
      pager(data));
  };
  const change = (key) => (e) => { query[key] = e.target.value; query.page = 1; load(); };
  const filterControls = (data) => [
    field(t("Search"), h("input", { type: "search", placeholder: t("Title or institution"),
      oninput: debounce(change("q")), enterkeyhint: "search" })),
    h("div", { class: "row" },
      field(t("Topic"), select([["", t("All topics")], ...data.topics.map((x) => [x.id, x.label])], "", change("topic"))),
      field(t("Country"), select([["", t("All countries")], ...data.countries.map((x) => [x.code, x.name])], "", change("country")))),
    field(t("Modality"), select(MODALITIES(), "", change("modality"))),
  ];
  const pager = (data) => data.pages > 1 ? h("div", { class: "pager" },
    h("button", { type: "button", disabled: data.page <= 1, onclick: () => { query.page = data.page - 1; load(); } }, t("Previous")),
    h("span", null, t("Page {page} of {pages}", { page: data.page, pages: data.pages })),
    h("button", { type: "button", disabled: data.page >= data.pages, onclick: () => { query.page = data.page + 1; load(); } }, t("Next")))
    : null;
  await load();
  put(root, filters, results);
}
