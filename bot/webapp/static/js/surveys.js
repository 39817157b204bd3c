// A focal point's open surveys; a long survey answered as a form (same store as the chat).

import { api } from "./api.js";
import { bar, h, put } from "./dom.js";
import { fmt, t } from "./i18n.js";
import { go } from "./app.js";
import { act, badge, empty, notice } from "./ui.js";

function surveyItem(survey) {
  return h("button", { type: "button", class: "card survey item", "data-survey": survey.id,
    onclick: () => go(survey.title, (root) => surveyForm(root, survey.id)) },
  h("h3", null, survey.title, survey.submitted ? badge(t("Submitted"), "good") : null),
  h("p", { class: "muted" }, t("Closes {date}", { date: fmt.dateTime(survey.closes_local) })),
  h("p", null, t("{answered} of {total} answered", { answered: survey.answered, total: survey.total })),
  bar(survey.total ? survey.answered / survey.total : 0));
}

export async function surveysView(root) {
  const surveys = await api("surveys");
  put(root, ...(surveys.length ? surveys.map(surveyItem) : [empty(t("No open surveys for you."))]));
}

function control(question, name) {
  const answer = question.answer;
  const options = question.options?.length ? question.options
    : question.kind === "scale" ? [1, 2, 3, 4, 5].map((n) => ({ id: n, label: String(n) })) : [];
  if (question.kind === "single" || question.kind === "scale" || question.kind === "multi") {
    const type = question.kind === "multi" ? "checkbox" : "radio";
    const chosen = new Set((Array.isArray(answer) ? answer : [answer]).map(String));
    return h("div", { class: `choices ${question.kind}` }, options.map((o) => h("label", { class: "choice" },
      h("input", { type, name, value: String(o.id), checked: chosen.has(String(o.id)) }), h("span", null, o.label))));
  }
  if (question.kind === "number") return h("input", { type: "number", name, inputmode: "decimal", value: answer ?? "" });
  return h("textarea", { name, rows: 3, maxlength: 2000, value: answer ?? "" });
}

function readAnswer(form, question, name) {
  const inputs = [...form.querySelectorAll(`[name="${name}"]`)];
  const pick = (o) => (typeof question.options?.[0]?.id === "number" || question.kind === "scale" ? Number(o) : o);
  if (question.kind === "multi") return inputs.filter((i) => i.checked).map((i) => pick(i.value));
  if (question.kind === "single" || question.kind === "scale") {
    const on = inputs.find((i) => i.checked);
    return on ? pick(on.value) : null;
  }
  const value = inputs[0]?.value.trim() ?? "";
  if (value === "") return null;
  return question.kind === "number" ? Number(value) : value;
}

export async function surveyForm(root, id) {
  let survey = await api(`surveys/${encodeURIComponent(id)}`);
  const form = h("form", { class: "survey-form", novalidate: true });
  const out = h("div");
  const names = new Map(survey.questions.map((q, i) => [q, `q${i}`]));
  const collect = () => Object.fromEntries(survey.questions.map((q) => [q.id, readAnswer(form, q, names.get(q))]));
  const save = (submit) => async (e) => {
    e.preventDefault();
    const answers = collect();
    const missing = survey.questions.filter((q) => q.required && (answers[q.id] == null || answers[q.id].length === 0));
    const marked = submit ? missing : [];  // a draft may leave anything open
    form.querySelectorAll(".question").forEach((el) => el.classList.toggle("missing", marked.some((q) => names.get(q) === el.dataset.name)));
    if (marked.length) { out.replaceChildren(notice(t("Please answer the required questions."), null, "error")); return; }
    await act(e.submitter || e.currentTarget, out, async () => {
      survey = await api(`surveys/${encodeURIComponent(id)}/answers`, { method: "POST", body: { answers, submit } });
      out.replaceChildren(notice(survey.submitted ? t("Thank you! Your answers were sent.") : t("Saved. You can continue later, here or in the chat."), null, "ok"));
    });
  };
  form.append(...survey.questions.map((q, i) => h("fieldset", { class: "question", "data-name": names.get(q) },
    h("legend", null, `${i + 1}. ${q.text}`, q.required ? h("span", { class: "req", "aria-label": t("required") }, " *") : null),
    control(q, names.get(q)))));
  const draft = h("button", { type: "button", class: "secondary", onclick: save(false) }, t("Save draft"));
  const send = h("button", { type: "submit", class: "primary" }, t("Send answers"));
  form.addEventListener("submit", save(true));
  form.append(h("div", { class: "actions sticky" }, draft, send), out);
  put(root,
    survey.submitted ? notice(t("Already sent. You can still change your answers."), null, "ok") : null,
    h("p", { class: "muted" }, t("Closes {date}", { date: fmt.dateTime(survey.closes_local) })), form);
}
