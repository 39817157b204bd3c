"""Erasure (``/forgetme``): everything stored about one person, deleted or anonymised in one
transaction, and the tombstone that keeps the bot silent toward them afterwards.

Every table that can name a person is listed in :data:`HANDLED`, with the columns erasure
takes care of; ``tests/storage/test_erasure.py`` fails when a table gains a column that looks
personal (``*user_id``, ``*chat_id``, ``member_id``, ``*_by``, ``actor_*``, ``target``...) and
is not listed here, so a new feature cannot silently keep what a person asked to erase.

What stays, and why: institution survey answers belong to the institution (the person's
link and the free text they typed go); audit entries keep the action, with a stable
anonymous marker instead of the person's name and id; broadcasts they created stay with
the creator anonymised. The tombstone is a salted one-way hash of the user id.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, case, cast, exists, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.enums import DeliveryStatus
from storage.db import Database
from storage.models import (
    Answer,
    AnswerFeedback,
    AuditLog,
    Broadcast,
    ChatGroup,
    ChatSendMark,
    Delivery,
    ErasedUser,
    InstitutionInvite,
    KeyValue,
    LearnedFaq,
    Member,
    Membership,
    Phrasing,
    Question,
    Response,
    Rsvp,
    Survey,
    Ticket,
    TicketNote,
    TicketPost,
    UnansweredAsker,
    UnansweredQuestion,
)
from storage.types import utcnow

SALT_KEY = "privacy:salt"
ERASED_CREATOR = 0  # Broadcast.created_by is required: who created it is no longer known

# table -> the personal columns erasure deletes or anonymises (see the module docstring).
HANDLED: dict[str, frozenset[str]] = {
    "member": frozenset(
        {"user_id", "chat_id", "first_name", "last_name", "username", "institution_other"}
    ),
    "rsvp": frozenset({"member_id"}),
    "response": frozenset({"member_id", "respondent_key"}),
    "answer": frozenset({"answered_by"}),
    "survey": frozenset({"created_by"}),
    "broadcast": frozenset({"created_by", "progress_chat_id"}),
    "delivery": frozenset({"chat_id", "member_id"}),
    "chatgroup": frozenset({"chat_id", "registered_by"}),  # chat_id is the group's own id
    "auditlog": frozenset({"actor_id", "actor_name", "target"}),
    "unansweredasker": frozenset({"member_id"}),
    "membership": frozenset({"member_id", "decided_by", "decided_by_name"}),
    "institutioninvite": frozenset({"created_by", "revoked_by"}),
    "chatsendmark": frozenset({"chat_id"}),  # a second-long pacing mark of the chat
    "ticket": frozenset({"member_id", "chat_id", "answered_by"}),
    "ticketpost": frozenset({"chat_id"}),  # an organizer's private copy of a ticket
    "ticketnote": frozenset({"author_id"}),
    "learnedfaq": frozenset({"created_by"}),
    "phrasing": frozenset({"created_by"}),
    "answerfeedback": frozenset({"member_id"}),
}


@dataclass(frozen=True)
class Erasure:
    """What one erasure did (for the log; never shown with the person's id)."""

    member: bool
    rows: dict[str, int]


# ---------------------------------------------------------------- the tombstone
async def installation_salt(db: Database) -> str:
    """The per-installation salt of the tombstone hashes (created on first use)."""
    cached = db.cache.get(SALT_KEY)
    if isinstance(cached, str):
        return cached
    for _ in range(3):
        try:
            async with db.session() as session:
                row = await session.get(KeyValue, SALT_KEY)
                if row is None:
                    row = KeyValue(key=SALT_KEY, value={"salt": secrets.token_hex(32)})
                    session.add(row)
                salt = str(row.value["salt"])
            db.cache[SALT_KEY] = salt
            return salt
        except IntegrityError:  # another process created it at the same moment
            continue
    raise RuntimeError("could not create the installation salt")


async def user_hash(db: Database, user_id: int) -> str:
    salt = await installation_salt(db)
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()


def anonymous_marker(hashed: str) -> str:
    """The same person's audit entries keep one marker, which names nobody."""
    return f"erased:{hashed[:12]}"


async def is_erased(db: Database, user_id: int) -> bool:
    hashed = await user_hash(db, user_id)
    async with db.session() as session:
        return await session.get(ErasedUser, hashed) is not None


async def clear_tombstone(db: Database, user_id: int) -> bool:
    """``/start`` after an erasure: the person comes back as new. True when there was one."""
    hashed = await user_hash(db, user_id)
    async with db.session() as session:
        row = await session.get(ErasedUser, hashed)
        if row is None:
            return False
        await session.delete(row)
        return True


# ---------------------------------------------------------------- erasure
async def erase_member(db: Database, user_id: int) -> Erasure:
    """Delete or anonymise everything about ``user_id`` in one transaction, leave the
    tombstone, and on SQLite checkpoint the WAL so old page images go too."""
    hashed = await user_hash(db, user_id)
    marker = anonymous_marker(hashed)
    async with db.session() as session:
        member = await session.get(Member, user_id)
        chat_id = member.chat_id if member is not None else user_id
        rows = {
            "keyvalue": await _drafts(session, user_id),
            "rsvp": await _rsvps(session, user_id),
            "answer": await _answers(session, user_id),
            "response": await _responses(session, user_id),
            "survey": await _surveys(session, user_id),
            "broadcast": await _broadcasts(session, user_id, chat_id),
            "delivery": await _deliveries(session, user_id, chat_id),
            "chatgroup": await _groups(session, user_id),
            "auditlog": await _audit(session, user_id, marker),
            "unansweredquestion": await _questions(session, user_id),
            "membership": await _memberships(session, user_id),
            "institutioninvite": await _invites(session, user_id),
            "ticket": await _tickets(session, user_id, chat_id, marker),
            "chatsendmark": await _count(
                await session.exec(delete(ChatSendMark).where(col(ChatSendMark.chat_id) == chat_id))
            ),
        }
        if member is not None:
            await session.delete(member)
        if await session.get(ErasedUser, hashed) is None:
            session.add(ErasedUser(user_hash=hashed, erased_at=utcnow()))
    await db.checkpoint()
    return Erasure(member=member is not None, rows=rows)


async def _memberships(session: AsyncSession, user_id: int) -> int:
    """Their own claim goes; claims they decided keep the decision, not who made it."""
    own = await session.exec(delete(Membership).where(col(Membership.member_id) == user_id))
    await session.exec(
        update(Membership)
        .where(col(Membership.decided_by) == user_id)
        .values(decided_by=None, decided_by_name=None)
    )
    return await _count(own)


async def _invites(session: AsyncSession, user_id: int) -> int:
    """Invitations they made or revoked stay the institution's, without who did it."""
    made = await session.exec(
        update(InstitutionInvite)
        .where(col(InstitutionInvite.created_by) == user_id)
        .values(created_by=0)
    )
    await session.exec(
        update(InstitutionInvite)
        .where(col(InstitutionInvite.revoked_by) == user_id)
        .values(revoked_by=None)
    )
    return await _count(made)


async def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def _drafts(session: AsyncSession, user_id: int) -> int:
    """Every flow's work in progress (``draft:<flow>:<user id>``, storage.drafts)."""
    result = await session.exec(
        delete(KeyValue).where(col(KeyValue.key).like(f"draft:%:{user_id}"))
    )
    return await _count(result)


async def _rsvps(session: AsyncSession, user_id: int) -> int:
    return await _count(await session.exec(delete(Rsvp).where(col(Rsvp.member_id) == user_id)))


def _own_responses(user_id: int) -> Any:
    return select(Response.id).where(
        col(Response.member_id) == user_id, col(Response.institution_id).is_(None)
    )


async def _answers(session: AsyncSession, user_id: int) -> int:
    """Their own answers go; in institution responses the free text they typed goes and
    the answer stays the institution's, answered by nobody in particular."""
    own = await session.exec(
        delete(Answer).where(col(Answer.response_id).in_(_own_responses(user_id)))
    )
    typed_text = exists().where(
        col(Question.kind) == "text",
        col(Question.id) == Answer.question_id,
        col(Response.id) == Answer.response_id,
        col(Question.survey_id) == Response.survey_id,
    )
    typed = update(Answer).where(col(Answer.answered_by) == user_id, typed_text).values(value=None)
    await session.exec(typed)
    await session.exec(
        update(Answer).where(col(Answer.answered_by) == user_id).values(answered_by=None)
    )
    return await _count(own)


async def _responses(session: AsyncSession, user_id: int) -> int:
    own = await session.exec(
        delete(Response).where(
            col(Response.member_id) == user_id, col(Response.institution_id).is_(None)
        )
    )
    await session.exec(
        update(Response).where(col(Response.member_id) == user_id).values(member_id=None)
    )
    return await _count(own)


async def _surveys(session: AsyncSession, user_id: int) -> int:
    result = await session.exec(
        update(Survey).where(col(Survey.created_by) == user_id).values(created_by=None)
    )
    return await _count(result)


async def _broadcasts(session: AsyncSession, user_id: int, chat_id: int) -> int:
    await session.exec(
        update(Broadcast)
        .where(col(Broadcast.progress_chat_id).in_({user_id, chat_id}))
        .values(progress_chat_id=None, progress_message_id=None)
    )
    result = await session.exec(
        update(Broadcast)
        .where(col(Broadcast.created_by) == user_id)
        .values(created_by=ERASED_CREATOR)
    )
    return await _count(result)


async def _deliveries(session: AsyncSession, user_id: int, chat_id: int) -> int:
    """Unsent messages to them are cancelled (also those a sender holds right now); every
    row addressed to them loses its payload, chat, person and the key naming them."""
    mine = or_(col(Delivery.member_id) == user_id, col(Delivery.chat_id).in_({user_id, chat_id}))
    await session.exec(
        update(Delivery)
        .where(mine, col(Delivery.status).in_([DeliveryStatus.pending, DeliveryStatus.sending]))
        .values(status=DeliveryStatus.cancelled, claimed_by=None, claimed_at=None)
    )
    result = await session.exec(
        update(Delivery)
        .where(mine)
        .values(
            payload={},
            chat_id=0,
            member_id=None,
            key=literal("erased:", String) + cast(Delivery.id, String),
            last_error=None,
            telegram_message_id=None,
        )
    )
    return await _count(result)


async def _groups(session: AsyncSession, user_id: int) -> int:
    result = await session.exec(
        update(ChatGroup).where(col(ChatGroup.registered_by) == user_id).values(registered_by=None)
    )
    return await _count(result)


async def _audit(session: AsyncSession, user_id: int, marker: str) -> int:
    """Entries keep their action; the person, as actor or target, becomes the marker."""
    acted = await session.exec(
        update(AuditLog)
        .where(col(AuditLog.actor_id) == user_id)
        .values(actor_id=None, actor_name=marker)
    )
    targeted = await session.exec(
        update(AuditLog).where(col(AuditLog.target) == str(user_id)).values(target=marker)
    )
    return await _count(acted) + await _count(targeted)


async def _questions(session: AsyncSession, user_id: int) -> int:
    """Their asking goes. A question nobody else asked goes whole; one others asked too
    keeps only its normalised form (which the others typed as well) and their count."""
    asked = list(
        (
            await session.exec(
                select(UnansweredAsker.question_id).where(col(UnansweredAsker.member_id) == user_id)
            )
        ).all()
    )
    if not asked:
        return 0
    await session.exec(delete(UnansweredAsker).where(col(UnansweredAsker.member_id) == user_id))
    others = set(
        (
            await session.exec(
                select(UnansweredAsker.question_id).where(
                    col(UnansweredAsker.question_id).in_(asked)
                )
            )
        ).all()
    )
    alone = [qid for qid in asked if qid not in others]
    if alone:
        await session.exec(delete(UnansweredQuestion).where(col(UnansweredQuestion.id).in_(alone)))
    shared = [qid for qid in asked if qid in others]
    if shared:
        await session.exec(
            update(UnansweredQuestion)
            .where(col(UnansweredQuestion.id).in_(shared))
            .values(
                text=UnansweredQuestion.normalized,
                count=case(
                    (col(UnansweredQuestion.count) > 1, col(UnansweredQuestion.count) - 1),
                    else_=1,
                ),
            )
        )
    return len(asked)


async def _tickets(session: AsyncSession, user_id: int, chat_id: int, marker: str) -> int:
    """Their tickets keep only what organizers wrote (the answer); their question, name,
    institution, chat and what they wrote back go. As an organizer, they become the marker;
    their private copies of tickets go. Their votes stay, without them."""
    own = list(
        (await session.exec(select(Ticket.id).where(col(Ticket.member_id) == user_id))).all()
    )
    if own:
        await session.exec(
            delete(TicketNote).where(
                col(TicketNote.ticket_id).in_(own), col(TicketNote.author) == "member"
            )
        )
        await session.exec(
            update(Ticket)
            .where(col(Ticket.id).in_(own))
            .values(
                member_id=None,
                chat_id=None,
                member_name="",
                institution="",
                question="",
                erased=True,
            )
        )
    await session.exec(
        update(Ticket)
        .where(col(Ticket.answered_by) == user_id)
        .values(answered_by=None, answered_by_name=marker)
    )
    await session.exec(
        update(TicketNote)
        .where(col(TicketNote.author_id) == user_id)
        .values(author_id=None, author_name=marker)
    )
    await session.exec(delete(TicketPost).where(col(TicketPost.chat_id).in_({user_id, chat_id})))
    for model in (LearnedFaq, Phrasing):
        await session.exec(
            update(model).where(col(model.created_by) == user_id).values(created_by=None)
        )
    await session.exec(
        update(AnswerFeedback)
        .where(col(AnswerFeedback.member_id) == user_id)
        .values(member_id=None)
    )
    return len(own)
