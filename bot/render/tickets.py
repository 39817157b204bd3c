"""What tickets look like: the inbox message organizers answer, the member's copy of an
answer, and the short notes around them. Every person's text is escaped here."""

from __future__ import annotations

import html

from bot.core.enums import TicketStatus
from bot.core.i18n import N_, Translator
from bot.core.outbound import Button, OutboundMessage
from bot.messaging.textsplit import split_markup
from bot.render.callbacks.tickets import TicketAction
from storage.models import Ticket, TicketNote

STATUS_LABELS = {
    TicketStatus.open: N_("open"),
    TicketStatus.answered: N_("answered"),
    TicketStatus.closed: N_("closed"),
}
LANGUAGE_NAMES = {"es": "español", "pt": "português", "en": "English"}
NOTE_SHOWN = 600  # characters of each later note shown on the inbox message


def ticket_text(ticket: Ticket, tr: Translator, notes: list[TicketNote] | None = None) -> str:
    """The inbox message of a ticket: the question, who asked, what happened since."""
    status = tr(STATUS_LABELS[TicketStatus(ticket.status)])
    lines = [tr("<b>Question #{id}</b> · {status}", id=ticket.id, status=status)]
    if ticket.erased:
        lines.append(tr("The person who asked has erased their data."))
    else:
        lines.append(
            tr(
                "From: {name} · {institution} · {language}",
                name=html.escape(ticket.member_name or "?"),
                institution=html.escape(ticket.institution or "—"),
                language=LANGUAGE_NAMES.get(ticket.language, ticket.language),
            )
        )
        lines += ["", f"“{html.escape(ticket.question)}”"]
    for note in (notes or [])[1:]:
        text = html.escape(note.text[:NOTE_SHOWN]) + ("…" if len(note.text) > NOTE_SHOWN else "")
        if note.author == "member":
            lines += ["", tr("The member wrote back:") + f" {text}"]
        else:
            who = html.escape(note.author_name or "?")
            lines += ["", tr("Answered by {name}:", name=who) + f" {text}"]
    return "\n".join(lines)


def inbox_message(
    ticket: Ticket, tr: Translator, notes: list[TicketNote], thread: int | None = None
) -> OutboundMessage:
    """A new ticket's inbox message as the outbox sends it (in a forum, to its topic)."""
    return OutboundMessage(
        [ticket_text(ticket, tr, notes)], buttons=ticket_buttons(ticket, tr), thread=thread
    )


def ticket_buttons(ticket: Ticket, tr: Translator) -> list[list[Button]]:
    """Answer / Not for us on an open ticket; Make FAQ / Close / Reopen on an answered one
    (it is not answered twice unless reopened); Reopen on a closed one."""
    tid = ticket.id or 0
    reopen = Button(tr("↩️ Reopen"), data=TicketAction("reopen", tid).pack())
    if ticket.status == TicketStatus.closed:
        return [[reopen]]
    if ticket.status == TicketStatus.answered:
        done = [Button(tr("✅ Close"), data=TicketAction("dismiss", tid).pack()), reopen]
        if ticket.answer and not ticket.faq_id:
            return [[Button(tr("📚 Make FAQ"), data=TicketAction("faq", tid).pack())], done]
        return [done]
    row = [
        Button(tr("✍️ Answer"), data=TicketAction("answer", tid).pack()),
        Button(tr("🚫 Not for us"), data=TicketAction("dismiss", tid).pack()),
    ]
    rows = [row]
    if ticket.answer and not ticket.faq_id:
        rows.append([Button(tr("📚 Make FAQ"), data=TicketAction("faq", tid).pack())])
    return rows


def answer_message(ticket: Ticket, answer: str, tr: Translator) -> OutboundMessage:
    """The member's copy of an organizer's answer, in the member's language, split like
    any long message; ``answer`` is Telegram HTML the organizer wrote, already checked as
    /broadcast checks a text (:func:`bot.messaging.compose.check_text`)."""
    question = ticket.question if len(ticket.question) <= 200 else ticket.question[:199] + "…"
    head = tr(
        "💬 <b>Answer from the organizers</b> to “{question}”:", question=html.escape(question)
    )
    foot = tr("Reply to this message to write back to the organizers.")
    return OutboundMessage(split_markup(f"{head}\n\n{answer}\n\n<i>{foot}</i>"))


def sent_note(ticket_id: int, tr: Translator) -> str:
    return tr(
        "Sent to the organizers (question #{id}). A person usually answers within two "
        "working days; the answer will arrive in this chat.",
        id=ticket_id,
    )


def dismissed_message(ticket: Ticket, tr: Translator) -> OutboundMessage:
    """The member's note that the organizers will not answer this question here (Not for
    us), with where to go instead."""
    question = ticket.question if len(ticket.question) <= 200 else ticket.question[:199] + "…"
    text = tr(
        "The organizers cannot answer your question #{id} (“{question}”) here: it is not "
        "something they handle. Your institution's contact person may help; send /help to "
        "see what I can answer.",
        id=ticket.id,
        question=html.escape(question),
    )
    return OutboundMessage([text])
