"""Memberships as text: the notice of a claim to organizers, /pending, invitation links and
what a member is told about their claim."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.core.i18n import Translator, format_local_datetime
from bot.core.outbound import Button, OutboundMessage
from bot.render.callbacks.memberships import (
    ClaimDecision,
    ConfirmAll,
    PendingPage,
    institution_tag,
)
from bot.render.members import institution_label, role_label
from storage.memberships import PendingClaim
from storage.models import Institution, Member, Role
from storage.outbox import PRIORITY_NOTICE, DeliveryDraft

PAGE = 5


def person(member: Member) -> str:
    """A member's name as shown to organizers (escaped), with their @username if any."""
    name = " ".join(p for p in (member.first_name, member.last_name) if p) or str(member.user_id)
    at = f" (@{member.username})" if member.username else ""
    return html.escape(name + at)


def decision_buttons(
    member: Member, institution_id: str, tr: Translator, page: int | None = None
) -> list[Button]:
    tag = institution_tag(institution_id)
    return [
        Button(tr("Confirm"), data=ClaimDecision(member.user_id, tag, True, page).pack()),
        Button(tr("Reject"), data=ClaimDecision(member.user_id, tag, False, page).pack()),
    ]


def claim_notice(
    member: Member, institution: Institution
) -> Callable[[Sequence[Member]], list[DeliveryDraft]]:
    """The drafts telling each organizer and admin of a new claim (keys set by storage)."""

    def drafts(reviewers: Sequence[Member]) -> list[DeliveryDraft]:
        found = []
        for reviewer in reviewers:
            tr = Translator(reviewer.language)
            text = tr(
                "{name} says they are a focal point of {institution}. Only confirmed focal "
                "points answer for their institution. Confirm?",
                name=person(member),
                institution=html.escape(institution_label(institution, tr.language)),
            )
            message = OutboundMessage(
                [text], buttons=[decision_buttons(member, institution.id, tr)]
            )
            found.append(_draft(reviewer, message, key=""))
        return found

    return drafts


def decision_notice(
    institution: Institution, confirmed: bool, now: datetime
) -> Callable[[Sequence[Member]], list[DeliveryDraft]]:
    """The draft telling the member what became of their claim."""

    def drafts(members: Sequence[Member]) -> list[DeliveryDraft]:
        found = []
        for member in members:
            tr = Translator(member.language)
            label = html.escape(institution_label(institution, tr.language))
            text = (
                tr(
                    "You are now a confirmed focal point of {institution}: you can answer "
                    "its surveys.",
                    institution=label,
                )
                if confirmed
                else tr(
                    "Your claim to speak for {institution} was not confirmed. If this is a "
                    "mistake, ask your institution for an invitation link or write to the "
                    "network's organizers.",
                    institution=label,
                )
            )
            key = f"membership:{member.user_id}:{institution.id}:{int(now.timestamp())}"
            found.append(_draft(member, OutboundMessage([text]), key=key))
        return found

    return drafts


def _draft(member: Member, message: OutboundMessage, *, key: str) -> DeliveryDraft:
    return DeliveryDraft(
        key=key,
        kind="notice",
        chat_id=member.chat_id,
        member_id=member.user_id,
        language=member.language,
        payload=message.to_payload(),
        priority=PRIORITY_NOTICE,
    )


def pending_page(
    claims: Sequence[PendingClaim],
    total: int,
    page: int,
    tr: Translator,
    *,
    zone: str,
    admin: bool,
) -> tuple[str, list[list[Button]]]:
    """/pending: one page of claims, a Confirm and a Reject button for each."""
    if not total:
        return tr("No claims are waiting for confirmation."), []
    lines = [tr("<b>Claims waiting for confirmation</b> ({count})", count=total)]
    rows: list[list[Button]] = []
    for number, claim in enumerate(claims, start=page * PAGE + 1):
        when = format_local_datetime(claim.claimed_at, zone, tr.language, "short")
        label = html.escape(institution_label(claim.institution, tr.language))
        lines.append(f"{number}. {person(claim.member)} — {label} ({when})")
        confirm, reject = decision_buttons(claim.member, claim.institution.id, tr, page)
        rows.append(
            [
                Button(f"{number}. {confirm.text}", data=confirm.data),
                Button(f"{number}. {reject.text}", data=reject.data),
            ]
        )
    nav = []
    if page > 0:
        nav.append(Button("‹", data=PendingPage(page - 1).pack()))
    if (page + 1) * PAGE < total:
        nav.append(Button("›", data=PendingPage(page + 1).pack()))
    if nav:
        rows.append(nav)
    if admin:
        rows.append([Button(tr("Confirm all"), data=ConfirmAll().pack())])
    return "\n".join(lines), rows


def role_notice(now: datetime) -> Callable[[Member, Role], list[DeliveryDraft]]:
    """The draft telling a person their role changed, in their language."""

    def drafts(member: Member, previous: Role) -> list[DeliveryDraft]:
        tr = Translator(member.language)
        role = Role(member.role)
        text = tr("Your role in the network's bot is now: {role}.", role=role_label(role, tr))
        if role.rank > previous.rank:
            text += " " + tr("Send /help to see your new commands.")
        key = f"role:{member.user_id}:{role.value}:{int(now.timestamp())}"
        return [_draft(member, OutboundMessage([text]), key=key)]

    return drafts
