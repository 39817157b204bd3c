"""People as admins see them: /whoami and the lines of /members."""

from __future__ import annotations

import html

from bot.core.enums import Role
from bot.core.i18n import Translator, country_name
from bot.render.members import institution_label, role_label
from storage.models import Institution, Member


def effective_role(member: Member, admin_ids: tuple[int, ...]) -> Role:
    """ADMIN_IDS admins are admins whatever their record says."""
    return Role.admin if member.user_id in admin_ids else Role(member.role)


def role_text(member: Member, admin_ids: tuple[int, ...], tr: Translator) -> str:
    label = role_label(effective_role(member, admin_ids), tr)
    if member.user_id in admin_ids:
        return tr("{role} (configured in ADMIN_IDS)", role=label)
    return label


def _institution(member: Member, institutions: dict[str, Institution], language: str) -> str:
    institution = institutions.get(member.institution_id or "")
    if institution is not None:
        return institution_label(institution, language)
    return member.institution_other or "—"


def as_claimed(label: str, member: Member, tr: Translator) -> str:
    """The label of the member's institution, marked while their claim to it awaits an
    organizer's confirmation (a claim must not read like a confirmed focal point)."""
    if member.verified_institution_id == member.institution_id:
        return label
    return tr("{institution} (awaiting confirmation)", institution=label)


def whoami_card(
    member: Member,
    institutions: dict[str, Institution],
    admin_ids: tuple[int, ...],
    tr: Translator,
) -> str:
    """What the bot knows of who you are: id, role, country, institution."""
    country = country_name(member.country, tr.language) if member.country else "—"
    institution = _institution(member, institutions, tr.language)
    if member.institution_id in institutions:
        institution = as_claimed(institution, member, tr)
    lines = [
        f"<b>{html.escape(_name(member))}</b>",
        tr("Telegram id: {id}", id=f"<code>{member.user_id}</code>"),
        tr("Role: {role}", role=role_text(member, admin_ids, tr)),
        tr("Country: {country}", country=html.escape(country)),
        tr("Institution: {institution}", institution=html.escape(institution)),
    ]
    return "\n".join(lines)


def _name(member: Member) -> str:
    name = " ".join(p for p in (member.first_name, member.last_name) if p)
    return name or str(member.user_id)


def member_line(
    member: Member,
    institutions: dict[str, Institution],
    admin_ids: tuple[int, ...],
    tr: Translator,
) -> str:
    """One member of /members: name, @username, id, role, country, institution."""
    parts = [f"<b>{html.escape(_name(member))}</b>"]
    if member.username:
        parts.append(f"@{html.escape(member.username)}")
    parts.append(f"<code>{member.user_id}</code>")
    head = " ".join(parts)
    institution = institutions.get(member.institution_id or "")
    label = institution.acronym if institution is not None else (member.institution_other or "")
    if institution is not None:
        label = as_claimed(label, member, tr)
    where = [role_text(member, admin_ids, tr), member.country or "", label]
    return head + "\n   " + " · ".join(html.escape(w) for w in where if w)
