"""Survey answers as CSV (UTF-8 with BOM, for spreadsheets) and XLSX: one row per response,
one column per question, option labels in the reader's language. Cells that start with
= + - @ are neutralised so a spreadsheet never runs them as formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from bot.i18n import Translator
from bot.survey_flow import option_label
from storage.catalog import pick_text
from storage.models import Question

FIXED = ("response", "respondent", "member", "institution", "country", "status", "submitted_at")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(DANGEROUS) else value


def cell_value(question: Question, value: Any, tr: Translator, default: str) -> Any:
    if value is None:
        return ""
    if question.kind == "single":
        return option_label(question, str(value), tr.language, default)
    if question.kind == "multiple":
        return "; ".join(option_label(question, str(v), tr.language, default) for v in value)
    if question.kind == "yesno":
        return tr("Yes") if value == "yes" else tr("No")
    if question.kind in ("number", "scale") and isinstance(value, int | float):
        return value
    return str(value)


def table(
    questions: list[Question], rows: list[dict[str, Any]], tr: Translator, default: str
) -> list[list[Any]]:
    header = [*FIXED] + [f"{pick_text(q.text, tr.language, default)} [{q.id}]" for q in questions]
    body = [
        [row[name] for name in FIXED]
        + [cell_value(q, row["answers"].get(q.id), tr, default) for q in questions]
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
    sheet.title = title[:31] or "survey"
    for line in table(questions, rows, tr, default):
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in line])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
