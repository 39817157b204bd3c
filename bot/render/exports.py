"""Survey answers as CSV (UTF-8 with BOM, for spreadsheets) and XLSX: one row per response,
one column per question, option labels in the reader's language. Cells that start with
= + - @ are neutralised so a spreadsheet never runs them as formulas.

Building a file of 10,000 responses takes seconds of pure Python: the handlers call
:func:`build_exports`, which runs in a worker thread (openpyxl keeps no global state, so
threads need no lock; the rows are fetched before, on the loop)."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bot.core.i18n import Translator
from bot.core.survey_flow import option_label
from storage.catalog import pick_text
from storage.models import Question

FIXED = ("response", "respondent", "member", "institution", "country", "status", "submitted_at")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


SHEET_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")  # Excel refuses these in sheet names


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS) else value


def sheet_title(title: str) -> str:
    """A name Excel accepts: no \\ * ? : / [ ], no control characters, no apostrophe at
    either end, at most 31 characters."""
    clean = ILLEGAL_CHARACTERS_RE.sub("", SHEET_FORBIDDEN.sub(" ", title))
    clean = " ".join(clean.split())[:31].strip().strip("'").strip()
    return clean or "survey"


def xlsx_cell(value: Any) -> Any:
    """Text without the control characters XML cannot hold (openpyxl's
    IllegalCharacterError), neutralised like the CSV."""
    if not isinstance(value, str):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def converter(question: Question, tr: Translator, default: str) -> Callable[[Any], Any]:
    """How one question's answers become cells (worked out once per question, not per cell:
    10,000 responses make 100,000 cells)."""
    kind = question.kind
    labels = {
        o["id"]: option_label(question, o["id"], tr.language, default)
        for o in question.options or []
    }
    yes, no = tr("Yes"), tr("No")

    def convert(value: Any) -> Any:
        if value is None:
            return ""
        if kind == "single":
            return labels.get(str(value), str(value))
        if kind == "multiple":
            return "; ".join(labels.get(str(v), str(v)) for v in value)
        if kind == "yesno":
            return yes if value == "yes" else no
        if kind in ("number", "scale") and isinstance(value, int | float):
            return value
        return str(value)

    return convert


def table(
    questions: list[Question], rows: list[dict[str, Any]], tr: Translator, default: str
) -> list[list[Any]]:
    header = [*FIXED] + [f"{pick_text(q.text, tr.language, default)} [{q.id}]" for q in questions]
    columns = [(q.id, converter(q, tr, default)) for q in questions]
    body = [
        [row[name] for name in FIXED]
        + [convert(row["answers"].get(qid)) for qid, convert in columns]
        for row in rows
    ]
    return [header, *body]


def to_csv(
    questions: list[Question], rows: list[dict[str, Any]], tr: Translator, default: str
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table(questions, rows, tr, default):
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    questions: list[Question], rows: list[dict[str, Any]], tr: Translator, default: str, title: str
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title(title)
    for line in table(questions, rows, tr, default):
        sheet.append([xlsx_cell(v) for v in line])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def build_exports(
    questions: list[Question], rows: list[dict[str, Any]], tr: Translator, default: str, title: str
) -> tuple[bytes, bytes]:
    """(CSV, XLSX), built in a worker thread so the event loop keeps serving everyone."""

    def both() -> tuple[bytes, bytes]:
        return (
            to_csv(questions, rows, tr, default),
            to_xlsx(questions, rows, tr, default, title),
        )

    return await asyncio.to_thread(both)
