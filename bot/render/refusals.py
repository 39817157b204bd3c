"""Why a text is refused, in the reader's language: the one wording of
:class:`~bot.messaging.compose.TextProblem` for /broadcast, ticket answers and the Mini App
composer. Telegram's parser speaks English ("Unsupported start tag "br" at byte offset 6");
here only its structured fault is used: the kind, the tags and where it is."""

from __future__ import annotations

import html
from collections.abc import Callable

from bot.core.i18n import N_, Translator
from bot.messaging.compose import TextProblem
from bot.messaging.html_faults import FaultKind, HtmlFault

KNOWN_TAGS = "b, i, u, s, a, code, pre, blockquote, tg-spoiler"

# The reason of each fault; {tag} and {other} are the tags concerned, as typed (<b>, </b>).
REASONS: dict[FaultKind, str] = {
    "encoding": N_("the text holds a character that is not valid Unicode"),
    "hex-case": N_("write hexadecimal references with a lower-case x, such as {example}"),
    "bad-reference": N_("{other} is not a character"),
    "lone-lt": N_("a {lt} that starts no tag: write it as {escape}"),
    "unsupported-tag": N_("unknown tag {tag} (Telegram knows {known})"),
    "unclosed-start": N_("the tag {tag} has no closing “>”"),
    "unclosed-end": N_("an end tag has no closing “>”"),
    "unexpected-char": N_("unexpected “{other}” in the tag {tag}"),
    "unquoted-value": N_("put the value of {other} in quotes in the tag {tag}: {example}"),
    "span-class": N_("the tag {tag} needs {example}"),
    "bad-link": N_("the link {other} can't be opened from Telegram (use http:// or https://)"),
    "emoji-id": N_("the tag {tag} needs a numeric emoji-id"),
    "emoji-content": N_("the tag {tag} must hold one emoji"),
    "bad-nesting": N_("the tag {tag} can't be inside {other}"),
    "text-after-code": N_("inside {tag}, nothing may follow {example}"),
    "unexpected-end": N_("{tag} closes a tag that is not open"),
    "unmatched-end": N_("{tag} found where {other} was expected"),
    "missing-end": N_("the tag {tag} is never closed: add {example}"),
    "part-too-long": N_("a part of the text is still too long once cut into messages"),
}
EXAMPLES: dict[FaultKind, str] = {
    "hex-case": "&#x41;",
    "unquoted-value": '="..."',
    "span-class": 'class="tg-spoiler"',
    "text-after-code": "</code>",
}
OPENING_OTHER: frozenset[FaultKind] = frozenset({"bad-nesting", "unmatched-end"})


def text_refusal(problem: TextProblem, tr: Translator, *, as_html: bool = True) -> str:
    """The whole refusal: what is wrong, where, and what to do (HTML, or plain text for the
    Mini App, which shows it as text)."""
    if problem.kind == "empty":
        return tr("The text is empty. Send the announcement's text.")
    if problem.kind == "too long":
        return tr("The text is too long: keep it under 16,000 characters.")
    code = _coder(as_html)
    if problem.kind == "reference":
        reason = tr(
            "{reference} would be shown as typed: Telegram knows only {known}; "
            "type the character itself ({char})",
            reference=code(problem.reference or ""),
            known=code("&lt; &gt; &amp; &quot;"),
            char=_plain(_visible(problem.char or ""), as_html),
        )
        return tr(
            "Telegram would refuse this HTML: {reason}. Fix it and send the text again.",
            reason=reason,
        )
    fault = problem.fault or HtmlFault("missing-end")
    reason = fault_reason(fault, tr, as_html=as_html)
    if problem.line is None or problem.column is None:
        return tr(
            "Telegram would refuse this HTML: {reason}. Fix it and send the text again.",
            reason=reason,
        )
    where = tr("line {line}, character {column}", line=problem.line, column=problem.column)
    return tr(
        "Telegram would refuse this HTML: {reason} ({where}). Fix it and send the text again.",
        reason=reason,
        where=where,
    )


def fault_reason(fault: HtmlFault, tr: Translator, *, as_html: bool = True) -> str:
    """One fault in words, its tags shown as typed (``<b>``, ``</b>``)."""
    code = _coder(as_html)
    kind = fault.kind
    closing = kind in ("unexpected-end", "unmatched-end")
    tag = code(_tag(fault.tag, closing)) if fault.tag else tr("a tag")
    other = code(_tag(fault.other, closing) if kind in OPENING_OTHER else fault.other or "")
    example = EXAMPLES.get(kind, f"</{fault.tag}>" if fault.tag else "")
    if kind == "unquoted-value":
        example = f'{fault.other}="..."'
    return tr(
        REASONS[kind],
        tag=tag,
        other=other,
        example=code(example),
        escape=code("&lt;"),
        lt=code("<"),
        known=KNOWN_TAGS,
    )


def _tag(name: str | None, closing: bool) -> str:
    return f"</{name}>" if closing else f"<{name}>"


def _coder(as_html: bool) -> Callable[[str], str]:
    if as_html:
        return lambda text: f"<code>{html.escape(text)}</code>"
    return lambda text: text


def _visible(char: str) -> str:
    """A character as a reader can see it: a space or an invisible one by its code point."""
    if len(char) == 1 and (char.isspace() or not char.isprintable()):
        return f"U+{ord(char):04X}"
    return char


def _plain(text: str, as_html: bool) -> str:
    return html.escape(text) if as_html else text
