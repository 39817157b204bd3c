"""Announcements as text: the /broadcast wizard's audience and preview, the progress message
edited while sending, the /broadcasts lines and /stats.

The progress texts are shared by the /broadcast handlers (the first progress message, the
list) and the progress job (``bot.jobs.broadcasts``), which edits the message until the
announcement is done.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.core.enums import BroadcastStatus, DeliveryStatus
from bot.core.geo import region_of
from bot.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    Translator,
    country_name,
    format_local_datetime,
    format_number,
    language_name,
    language_names,
)
from bot.core.outbound import Button
from bot.render.callbacks.broadcast import AudienceRegion, AudienceToggle
from bot.render.labels import country_label, region_name, regions_of, shorten
from bot.render.members import role_label
from storage.broadcasts import Recipients, text_for
from storage.models import Broadcast, Role
from storage.stats import MemberStats

STATUS_LABELS: dict[str, str] = {
    BroadcastStatus.scheduled: N_("scheduled"),
    BroadcastStatus.sending: N_("sending"),
    BroadcastStatus.done: N_("sent"),
    BroadcastStatus.cancelled: N_("cancelled"),
    BroadcastStatus.draft: N_("draft"),
}


def progress_bar(done: int, total: int, width: int = 10) -> str:
    filled = round(width * done / total) if total else width
    return "▓" * filled + "░" * (width - filled)


def progress_text(
    broadcast: Broadcast, counts: dict[str, int], rate: float, tr: Translator, final: bool
) -> str:
    """The progress message: a bar and the rate while sending, the totals once done."""
    total = broadcast.recipients or sum(counts.values())
    sent = counts.get(DeliveryStatus.sent, 0)
    blocked = counts.get(DeliveryStatus.blocked, 0)
    failed = counts.get(DeliveryStatus.failed, 0) + counts.get(DeliveryStatus.cancelled, 0)
    done = sent + blocked + failed

    def number(n: float) -> str:
        return format_number(n, tr.language)

    if final:
        return "\n".join(
            [
                tr("📣 <b>Announcement #{id} finished</b>", id=broadcast.id),
                tr("Delivered: {n}", n=number(sent)),
                tr("Blocked the bot: {n}", n=number(blocked)),
                tr("Failed: {n}", n=number(failed)),
            ]
        )
    return "\n".join(
        [
            tr("📣 <b>Announcement #{id}</b> is being sent", id=broadcast.id),
            f"{progress_bar(done, total)} "
            + tr(
                "{done}/{total} · {rate} msg/s · {blocked} blocked",
                done=number(done),
                total=number(total),
                rate=number(round(rate, 1)),
                blocked=number(blocked),
            ),
        ]
    )


def is_final(broadcast: Broadcast) -> bool:
    return broadcast.status == BroadcastStatus.done


def status_label(status: str, tr: Translator) -> str:
    return tr(STATUS_LABELS.get(status, status))


TAGS = re.compile(r"<[^>]+>")


def snippet(texts: dict[str, str], language: str, default: str, limit: int = 60) -> str:
    """The first words of the announcement in the reader's language, as plain escaped text."""
    _, text = text_for(texts, language, default)
    plain = " ".join(html.unescape(TAGS.sub(" ", text)).split())
    return html.escape(shorten(plain, limit))


def listing_line(item: Broadcast, counts: dict[str, int], tr: Translator, zone: str) -> str:
    """One announcement in /broadcasts: number, status, time, delivery counts; its first
    words on a second line."""
    when = item.scheduled_at or item.created_at
    words = snippet(item.texts or {}, tr.language, next(iter(item.texts or {"es": ""})))
    line = tr(
        "#{id} · {status} · {when} · {sent}/{total} delivered, {blocked} blocked, {failed} failed",
        id=item.id,
        status=status_label(item.status, tr),
        when=format_local_datetime(when, zone, tr.language, fmt="short"),
        sent=counts.get(DeliveryStatus.sent, 0),
        total=item.recipients,
        blocked=counts.get(DeliveryStatus.blocked, 0),
        failed=counts.get(DeliveryStatus.failed, 0),
    )
    return line + (f"\n    “{words}”" if words else "")


# ------------------------------------------------------------------ the wizard
def audience_label(audience: Sequence[str], tr: Translator) -> str:
    """The audience in the reader's words, "Uruguay, Brasil · español": the values of one
    kind are ORed (a comma), the kinds ANDed (a dot)."""
    if list(audience) in ([], ["all"]):
        return tr("everyone")
    kinds: dict[str, list[str]] = {}
    for selector in audience:
        kind, _, value = selector.partition(":")
        kinds.setdefault(kind, []).append(value)
    return " · ".join(
        ", ".join(_selector_label(kind, value, tr) for value in values)
        for kind, values in kinds.items()
        if kind != "all"
    )


ROLE_GROUPS = {"member": N_("members"), "organizer": N_("organizers"), "admin": N_("admins")}


def _selector_label(kind: str, value: str, tr: Translator) -> str:
    if kind == "country":
        return country_name(value, tr.language)
    if kind == "language":
        return language_name(value, tr.language)
    if kind == "role" and value in ROLE_GROUPS:
        return tr(ROLE_GROUPS[value])
    if kind == "group":
        return tr("registered groups") if value == "all" else tr("group {id}", id=value)
    if kind == "event":
        return tr("registered for {event}", event=value)
    if kind == "institution":
        return value.upper()
    return f"{kind}:{value}"


def waiting_line(waiting: int, tr: Translator) -> list[str]:
    """The members an institution or country audience leaves out until their claim is
    confirmed, when there are any."""
    if not waiting:
        return []
    return [
        tr.ngettext(
            "Not included: {n} person whose institution is not confirmed yet (/pending).",
            "Not included: {n} people whose institution is not confirmed yet (/pending).",
            waiting,
        )
    ]


def audience_text(audience: Sequence[str], recipients: Recipients, tr: Translator) -> str:
    return "\n".join(
        [
            tr("<b>Who should receive it?</b>"),
            tr("Audience: {audience}", audience=html.escape(audience_label(audience, tr))),
            tr(
                "Recipients now: {people} and {groups}",
                people=tr.ngettext("{n} person", "{n} people", recipients.people),
                groups=tr.ngettext("{n} group", "{n} groups", recipients.groups),
            ),
            *waiting_line(recipients.waiting, tr),
            "",
            tr(
                "Press buttons to combine, or type selectors such as "
                "<code>country:UY, language:es</code> or <code>event:ID</code>."
            ),
        ]
    )


COUNTRY_TOGGLES_MAX = 9  # past this, the countries go by region


def audience_rows(
    countries: Sequence[str], chosen: set[str], tr: Translator, region: str | None = None
) -> list[list[Button]]:
    """Toggles for everyone, each country of the network, each language, organizers and
    groups; the chosen ones ticked. Many countries: first their regions (with the chosen
    countries), then one region's countries alone."""

    def toggle(label: str, toggle: AudienceToggle) -> Button:
        mark = "✅ " if toggle.selector in chosen else ""
        return Button(mark + label, data=toggle.pack())

    grouped = len(countries) > COUNTRY_TOGGLES_MAX
    shown = [c for c in countries if not grouped or region_of(c) == region]
    if grouped and region is None:
        shown = [c for c in countries if f"country:{c}" in chosen]
    by_country = [toggle(country_name(c, tr.language), AudienceToggle("country", c)) for c in shown]
    if grouped and region is not None:
        back = Button("◀", data=AudienceRegion().pack())
        return [*[by_country[i : i + 3] for i in range(0, len(by_country), 3)], [back]]
    regions = [
        Button("🌎 " + region_name(r, tr), data=AudienceRegion(r).pack())
        for r in (regions_of(list(countries)) if grouped else [])
    ]
    return [
        [toggle(tr("Everyone"), AudienceToggle("all"))],
        *[regions[i : i + 2] for i in range(0, len(regions), 2)],
        *[by_country[i : i + 3] for i in range(0, len(by_country), 3)],
        [toggle(LANGUAGE_NAMES[c], AudienceToggle("language", c)) for c in LANGUAGES],
        [
            toggle(tr("Organizers"), AudienceToggle("role", "organizer")),
            toggle(tr("Registered groups"), AudienceToggle("group", "all")),
        ],
    ]


def preview_text(
    texts: dict[str, str],
    audience: Sequence[str],
    recipients: Recipients,
    default: str,
    tr: Translator,
) -> str:
    return "\n".join(
        [
            tr(
                "<b>Preview</b> — this is how members will see it (in their language when you "
                "wrote one, else {language}):",
                language=language_name(default, tr.language),
            ),
            tr("Languages: {languages}", languages=language_names(texts, tr.language) or "—"),
            tr("Audience: {audience}", audience=html.escape(audience_label(audience, tr))),
            tr(
                "Recipients: {people} and {groups}",
                people=tr.ngettext("{n} person", "{n} people", recipients.people),
                groups=tr.ngettext("{n} group", "{n} groups", recipients.groups),
            ),
            *waiting_line(recipients.waiting, tr),
        ]
    )


# ------------------------------------------------------------------ /stats
def _role(value: str, tr: Translator) -> str:
    try:
        return role_label(Role(value), tr)
    except ValueError:
        return value


def stats_text(stats: MemberStats, tr: Translator) -> str:
    def number(n: int) -> str:
        return format_number(n, tr.language)

    def country(code: str) -> str:
        return html.escape(country_label(code, tr))

    lines = [
        tr("<b>Members</b>: {total}", total=number(stats.total)),
        tr(
            "Active: {active} · opted out: {opted_out} · blocked the bot: {blocked}",
            active=number(stats.active),
            opted_out=number(stats.opted_out),
            blocked=number(stats.blocked),
        ),
        "",
        tr("<b>By country</b>"),
        *[f"{country(c)}: {number(n)}" for c, n in stats.by_country],
        "",
        tr("<b>By language</b>"),
        *[f"{language_name(c, tr.language)}: {number(n)}" for c, n in stats.by_language],
        "",
        tr("<b>By institution</b>"),
        *[f"{html.escape(c)}: {number(n)}" for c, n in stats.by_institution[:15]],
        "",
        tr("<b>By role</b>"),
        *[f"{html.escape(_role(c, tr))}: {number(n)}" for c, n in stats.by_role],
    ]
    return "\n".join(lines)
