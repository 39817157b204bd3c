"""Survey texts are HTML-escaped wherever they are interpolated: a number question whose
unit is ``<m2>`` used to make Telegram refuse the message, so it could never be shown."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.i18n import Translator
from bot.core.survey_flow import parse_typed
from bot.messaging.telegram_html import html_error
from bot.render.surveys import render_invite
from handlers.surveys.views import question_view, summary_view
from storage.models import Member, Question, Response, Survey
from storage.surveys import ResponseState

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TR = Translator("en")


def state(*questions: Question) -> ResponseState:
    survey = Survey(id="space", title={"en": "Rooms <&> spaces"}, intro={"en": "a < b"})
    response = Response(id=7, survey_id="space", respondent_key="member:1", member_id=1)
    return ResponseState(survey, list(questions), response, {}, {})


AREA = Question(
    survey_id="space",
    id="area",
    kind="number",
    text={"en": "Floor area"},
    unit="<m2>",
    min_value=0,
    max_value=500,
)
CHOICE = Question(
    survey_id="space",
    id="kind",
    kind="single",
    text={"en": "Kind <of> room"},
    options=[{"id": "a", "text": {"en": "<Lab>"}}, {"id": "b", "text": {"en": "A & B"}}],
)
MEMBER = Member(user_id=1, chat_id=1, language="en")


def test_a_unit_in_angle_brackets_is_shown() -> None:
    text, _ = question_view(state(AREA), 0, MEMBER, TR, "en")
    assert html_error(text) is None, text
    assert "Write a number between 0 and 500 &lt;m2&gt;." in text
    problem = parse_typed(AREA, "9000", TR).problem
    assert problem is not None and html_error(problem) is None, problem
    assert "&lt;m2&gt;" in problem


def test_titles_options_and_answers_are_escaped() -> None:
    answered = state(AREA, CHOICE)
    answered.answers.update({"area": 12, "kind": "a"})
    text, _ = summary_view(answered, TR, "en")
    assert html_error(text) is None, text
    assert "12 &lt;m2&gt;" in text and "&lt;Lab&gt;" in text and "Rooms &lt;&amp;&gt;" in text
    view, buttons = question_view(answered, 1, MEMBER, TR, "en")
    assert html_error(view) is None and "Kind &lt;of&gt; room" in view
    assert buttons[0][0][0] == "🔘 <Lab>"  # button labels are plain text, not HTML
    invite = render_invite(MEMBER, answered.survey, "invite", NOW, "en")
    assert all(html_error(part) is None for part in invite["parts"])


def test_the_first_question_carries_the_title_and_intro_the_next_the_title() -> None:
    first, _ = question_view(state(AREA, CHOICE), 0, MEMBER, TR, "en", intro=True)
    assert first.startswith("<b>Rooms &lt;&amp;&gt; spaces</b>\na &lt; b\n\n<b>(1/2)</b>")
    assert html_error(first) is None
    later, _ = question_view(state(AREA, CHOICE), 1, MEMBER, TR, "en")
    assert later.startswith("<b>Rooms &lt;&amp;&gt; spaces</b>\n\n<b>(2/2)</b>")


def test_a_quick_poll_is_not_headed_by_its_own_question() -> None:
    poll = Question(survey_id="space", id="q", kind="single", text={"en": "Rooms <&> spaces"})
    text, _ = question_view(state(poll), 0, MEMBER, TR, "en")
    assert text.startswith("<b>(1/1)</b> Rooms &lt;&amp;&gt; spaces")
