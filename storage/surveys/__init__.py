"""Surveys: who may answer, responses kept answer by answer (so an answer survives a restart
and a member can go on days later), one response per member or per institution, launch
and reminders through the outbox, and the data behind results and exports.

The names callers use are re-exported here (``from storage import surveys``); the code
lives in :mod:`.definitions`, :mod:`.responses`, :mod:`.launching` and :mod:`.reporting`.
"""

from storage.surveys.definitions import (
    SurveyProblem,
    audience_members,
    create_survey,
    get_survey,
    in_audience,
    is_open,
    list_surveys,
    respondent_key,
)
from storage.surveys.launching import (
    DEFAULT_NUDGE_MINUTES,
    Queued,
    RenderInvite,
    claim_due_nudges,
    close_due,
    invite_members,
    launch,
    not_answered,
    nudge,
)
from storage.surveys.reporting import QuestionResult, Results, export_rows, results
from storage.surveys.responses import (
    MemberSurvey,
    ResponseState,
    may_answer,
    response_state,
    save_answer,
    set_current,
    start_response,
    submit,
    surveys_for,
)

__all__ = [
    "DEFAULT_NUDGE_MINUTES",
    "MemberSurvey",
    "QuestionResult",
    "Queued",
    "RenderInvite",
    "ResponseState",
    "Results",
    "SurveyProblem",
    "audience_members",
    "claim_due_nudges",
    "close_due",
    "create_survey",
    "export_rows",
    "get_survey",
    "in_audience",
    "invite_members",
    "is_open",
    "launch",
    "list_surveys",
    "may_answer",
    "not_answered",
    "nudge",
    "respondent_key",
    "response_state",
    "results",
    "save_answer",
    "set_current",
    "start_response",
    "submit",
    "surveys_for",
]
