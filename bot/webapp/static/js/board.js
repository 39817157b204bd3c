// The organizers' survey board: response rate, every institution's status, nudges,
// charts per question, CSV/XLSX downloads.

import { api, download } from "./api.js";
import { bar, h, put, saveBlob } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { go } from "./app.js";
import { act, badge, empty, notice, statusLabel } from "./ui.js";

const TONE = { answered: "good", partial: "warn", not_started: "bad" };

// "3 of 12 institutions answered · 25 %", or, with nobody invited, no rate at all.
function answeredLine(survey, responses, withRate = true) {
  const byInstitution = survey.respondent === "institution";
  if (!survey.invited) {
    return h("p", { class: "muted", "data-invited": "0" },
      byInstitution ? t("No institutions invited yet") : t("Nobody invited yet"));
  }
  const values = { responses: fmt.number(responses), invited: fmt.number(survey.invited) };
  return h("p", { class: "answered" }, byInstitution
    ? t("{responses} of {invited} institutions answered", values)
    : t("{responses} of {invited} members answered", values),
  withRate ? [" · ", h("strong", null, fmt.percent(survey.rate))] : null);
}

function surveyRow(survey) {
  return h("button", { type: "button", class: "card item", "data-board": survey.id,
    onclick: () => go(survey.title, (root) => surveyBoard(root, survey.id)) },
  h("h3", null, survey.title, badge(statusLabel(survey.status))),
  answeredLine(survey, survey.responses),
  survey.invited ? bar(survey.rate, "good") : null,
  survey.closes_local ? h("p", { class: "muted" }, t("Closes {date}", { date: fmt.dateTime(survey.closes_local) })) : null);
}

export async function boardView(root) {
  const surveys = await api("board/surveys");
  put(root, ...(surveys.length ? surveys.map(surveyRow) : [empty(t("No surveys yet."))]));
}

function bars(question) {
  const total = question.counts.reduce((sum, c) => sum + c.count, 0) || 1;
  return h("div", { class: "bars" }, question.counts.map((c) => h("div", { class: "bar-row" },
    h("span", { class: "bar-label" }, c.label), bar(c.count / total), h("span", { class: "bar-count" }, fmt.number(c.count)))));
}

function chart(question, url) {
  const box = h("div", { class: "chart" }, bars(question));
  if (url) {
    // The PNG comes from the API (it needs the Authorization header), shown from a blob URL.
    api(url.replace(/^\/?app\/api\//, "").replace(/^\//, ""), { raw: true })
      .then((r) => r.blob())
      .then((blob) => box.replaceChildren(h("img", { src: URL.createObjectURL(blob), alt: question.text, loading: "lazy" })))
      .catch(() => {});
  }
  return h("section", { class: "card question-chart" }, h("h3", null, question.text), box);
}

function institutionRow(inst) {
  return h("li", { class: "inst", "data-status": inst.status },
    h("span", { class: "inst-name" }, inst.name, h("small", { class: "muted" }, ` ${inst.country || ""}`)),
    badge(statusLabel(inst.status), TONE[inst.status] || ""),
    h("small", { class: "muted last" }, inst.last_activity ? fmt.dateTime(inst.last_activity) : t("No activity")));
}

export async function surveyBoard(root, id) {
  const data = await api(`board/surveys/${encodeURIComponent(id)}`);
  const out = h("div");
  const path = `board/surveys/${encodeURIComponent(id)}`;
  const nudge = h("button", { type: "button", class: "primary", disabled: !data.counts.not_started,
    onclick: (e) => act(e.currentTarget, out, async () => {
      const result = await api(`${path}/nudge`, { method: "POST", body: {} });
      out.replaceChildren(notice(t("Reminders queued: {n}", { n: fmt.number(result.queued) }), null, "ok"));
    }) }, t("Nudge the ones not started"));
  const exporter = (format) => h("button", { type: "button", class: "secondary",
    onclick: (e) => act(e.currentTarget, out, async () => saveBlob(...await download(`${path}/export?format=${format}`, `${id}.${format}`))) },
  format.toUpperCase());
  put(root,
    h("section", { class: "card summary" },
      data.invited ? h("p", { class: "big" }, fmt.percent(data.rate)) : null,
      answeredLine(data, data.submitted, false),
      data.invited ? bar(data.rate, "good") : null,
      h("p", { class: "tags" },
        badge(`${statusLabel("answered")}: ${fmt.number(data.counts.answered)}`, "good"),
        badge(`${statusLabel("partial")}: ${fmt.number(data.counts.partial)}`, "warn"),
        badge(`${statusLabel("not_started")}: ${fmt.number(data.counts.not_started)}`, "bad")),
      h("div", { class: "actions" }, nudge, h("span", { class: "muted" }, t("Download")), exporter("csv"), exporter("xlsx")),
      out),
    h("h2", null, t("Institutions")),
    h("ul", { class: "card insts" }, data.institutions.map(institutionRow)),
    h("h2", null, t("Answers")),
    ...(data.questions.length ? data.questions.map((q) => chart(q, data.chart_urls?.[q.id])) : [empty(t("No answers yet."))]));
}
