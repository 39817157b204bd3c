"""What a member sees while answering: a question with its buttons, the summary to confirm,
and why a survey takes no answers. Pure: the texts and buttons, no sending."""

from __future__ import annotations

import html

from bot.core.enums import ResponseStatus, SurveyStatus
from bot.core.i18n import (
    Translator,
    format_local_datetime,
    format_number,
    format_zoned_datetime,
    pick_text,
)
from bot.core.survey_flow import (
    TYPED_KINDS,
    answer_text,
    missing_required,
    option_label,
    previous_index,
    progress,
    scale_values,
    visible,
)
from bot.render.callbacks import surveys as cb
from handlers.common import Button
from storage.models import Member, Question, Survey
from storage.surveys import ResponseState

View = tuple[str, list[list[Button]]]


def question_view(
    state: ResponseState,
    index: int,
    member: Member,
    tr: Translator,
    default: str,
    *,
    intro: bool = False,
) -> View:
    """A question under the survey's title (and, with ``intro``, the survey's intro: the
    first question a member sees, one message where a title message came before)."""
    question = state.questions[index]
    position, total = progress(state.questions, state.answers, index)
    text = pick_text(question.text, tr.language, default)
    lines = _heading(state, tr, default, intro=intro)
    lines.append(f"<b>({position}/{total})</b> {html.escape(text)}")
    value = state.answers.get(question.id)
    rows = _answer_rows(state, index, tr, default)
    if question.kind == "multiple":
        lines.append(tr("Choose all that apply, then press Done."))
    elif question.kind == "scale":
        steps = scale_values(question)
        lines.append(tr("From {low} (lowest) to {high} (highest).", low=steps[0], high=steps[-1]))
    elif question.kind in TYPED_KINDS:
        lines.append(typed_hint(question, tr))
        if value is not None:
            lines.append(
                tr(
                    "Current answer: {answer}",
                    answer=html.escape(answer_text(question, value, tr, default)),
                )
            )
    lines += _answered_by_other(state, question, member, tr)
    nav = _nav_row(state, index, tr)
    if nav:
        rows.append(nav)
    return "\n".join(lines), rows


def _heading(state: ResponseState, tr: Translator, default: str, *, intro: bool) -> list[str]:
    """The survey's title, its intro if asked for, and a blank line; no title for a quick
    poll, whose one question is its title."""
    survey = state.survey
    title = pick_text(survey.title, tr.language, default).strip()
    only = state.questions[0] if len(state.questions) == 1 else None
    lines = []
    if only is None or pick_text(only.text, tr.language, default).strip() != title:
        lines.append(f"<b>{html.escape(title)}</b>")
    about = pick_text(survey.intro, tr.language, default) if intro else ""
    if about:
        lines.append(html.escape(about))
    return [*lines, ""] if lines else []


def _answer_rows(
    state: ResponseState, index: int, tr: Translator, default: str
) -> list[list[Button]]:
    """The buttons that answer the question (none for a typed one)."""
    question = state.questions[index]
    rid = state.response.id
    assert rid is not None
    value = state.answers.get(question.id)
    options = question.options or []
    if question.kind == "single":
        return [
            [
                (
                    ("🔘 " if value == o["id"] else "")
                    + option_label(question, o["id"], tr.language, default),
                    cb.Choose(rid, index, i).pack(),
                )
            ]
            for i, o in enumerate(options)
        ]
    if question.kind == "multiple":
        chosen = set(value or [])
        rows = [
            [
                (
                    ("✅ " if o["id"] in chosen else "▫️ ")
                    + option_label(question, o["id"], tr.language, default),
                    cb.Toggle(rid, index, i).pack(),
                )
            ]
            for i, o in enumerate(options)
        ]
        return [*rows, [(tr("Done ▶"), cb.Done(rid, index).pack())]]
    if question.kind == "scale":
        steps = scale_values(question)
        return [
            [
                (("🔘" if value == n else "") + str(n), cb.Choose(rid, index, i).pack())
                for i, n in enumerate(steps)
            ]
        ]
    if question.kind == "yesno":
        return [
            [
                (("🔘 " if value == "yes" else "") + tr("Yes"), cb.Choose(rid, index, 0).pack()),
                (("🔘 " if value == "no" else "") + tr("No"), cb.Choose(rid, index, 1).pack()),
            ]
        ]
    return []


def _answered_by_other(
    state: ResponseState, question: Question, member: Member, tr: Translator
) -> list[str]:
    if question.id not in state.answered_by or state.survey.respondent != "institution":
        return []
    by, at = state.answered_by[question.id]
    if by is None or by == member.user_id:
        return []
    return [
        tr(
            "(answered by another focal point on {when})",
            when=format_local_datetime(at, member.timezone, tr.language, "short"),
        )
    ]


def _nav_row(state: ResponseState, index: int, tr: Translator) -> list[Button]:
    question = state.questions[index]
    rid = state.response.id
    assert rid is not None
    nav: list[Button] = []
    if previous_index(state.questions, state.answers, index) is not None:
        nav.append((tr("◀ Back"), cb.Back(rid, index).pack()))
    if question.kind in TYPED_KINDS and state.answers.get(question.id) is not None:
        nav.append((tr("Keep ▶"), cb.Keep(rid, index).pack()))
    elif not question.required:
        nav.append((tr("Skip ▶"), cb.Skip(rid, index).pack()))
    return nav


def typed_hint(question: Question, tr: Translator) -> str:
    if question.kind == "number":
        unit = f" {html.escape(question.unit)}" if question.unit else ""
        if question.min_value is not None and question.max_value is not None:
            return tr(
                "Write a number between {low} and {high}{unit}.",
                low=format_number(question.min_value, tr.language),
                high=format_number(question.max_value, tr.language),
                unit=unit,
            )
        return tr("Write a number.")
    if question.kind == "date":
        return tr("Write a date such as 2026-12-03.")
    return tr(
        "Write your answer (at most {n} characters).",
        n=format_number(question.max_length or 1000, tr.language),
    )


def summary_view(state: ResponseState, tr: Translator, default: str) -> View:
    rid = state.response.id
    assert rid is not None
    submitted = state.response.status == ResponseStatus.submitted
    title = html.escape(pick_text(state.survey.title, tr.language, default))
    lines = [tr("<b>{title}</b> — your answers:", title=title)]
    edit_buttons: list[Button] = []
    missing = missing_required(state.questions, state.answers)
    for index, question in enumerate(state.questions):
        if not visible(question, state.answers):
            continue
        number = len(edit_buttons) + 1
        text = pick_text(question.text, tr.language, default)
        answer = answer_text(question, state.answers.get(question.id), tr, default)
        flag = " ⚠️" if index in missing else ""
        lines.append(f"{number}. {html.escape(text)}\n   → <i>{html.escape(answer)}</i>{flag}")
        edit_buttons.append((f"✏️ {number}", cb.Edit(rid, index).pack()))
    rows = [edit_buttons[i : i + 5] for i in range(0, len(edit_buttons), 5)]
    if submitted:
        lines.append(tr("✅ Sent. You can change any answer until the survey closes."))
    elif missing:
        lines.append(tr("⚠️ Some required questions have no answer yet."))
    send = tr("✅ Save changes") if submitted else tr("✅ Send answers")
    rows.append([(send, cb.Send(rid).pack())])
    return "\n".join(lines), rows


def recorded_note(survey: Survey, question: Question, member: Member, tr: Translator) -> str:
    """The answer of a one-question survey counts: when and how it can still change."""
    typed = question.kind in TYPED_KINDS
    if survey.closes_at:
        when = format_zoned_datetime(survey.closes_at, member.timezone, tr.language)
        if typed:
            return tr("✅ Answer recorded. You can change it with /survey until {when}.", when=when)
        if question.kind == "multiple":
            return tr(
                "✅ Vote recorded. To change it, tick or untick options and press Done again "
                "until {when}.",
                when=when,
            )
        return tr("✅ Vote recorded. Tap another option to change it until {when}.", when=when)
    if typed:
        return tr("✅ Answer recorded. You can change it with /survey while the survey is open.")
    if question.kind == "multiple":
        return tr(
            "✅ Vote recorded. To change it, tick or untick options and press Done again "
            "while the poll is open."
        )
    return tr("✅ Vote recorded. Tap another option to change it while the poll is open.")


def closed_text(survey: Survey, member: Member, tr: Translator) -> str:
    """Why the survey takes no answers: closed on a date, or not open at all."""
    if survey.closes_at and survey.status != SurveyStatus.draft:
        when = format_zoned_datetime(survey.closes_at, member.timezone, tr.language)
        return tr("This survey closed on {when}; answers are no longer accepted.", when=when)
    return tr("This survey is not open for answers.")
