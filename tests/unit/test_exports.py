"""Survey exports: sheet titles and cells Excel and openpyxl accept, built off the loop;
charts drawn in worker threads, one at a time."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

from openpyxl import load_workbook
from PIL import Image

from bot.core.i18n import Translator
from bot.render.charts import ChartSpec, bar_chart, draw_bar_charts
from bot.render.exports import build_exports, sheet_title, to_xlsx
from storage.models import Question

TR = Translator("en")
QUESTIONS = [
    Question(survey_id="s", id="why", kind="text", text={"en": "Why?\x07 [really]"}),
    Question(
        survey_id="s",
        id="mode",
        kind="single",
        text={"en": "Mode"},
        options=[{"id": "on", "text": {"en": "On\x1bline"}}],
    ),
]


def row(answer: str) -> dict[str, Any]:
    return {
        "response": 1,
        "respondent": "member:1",
        "member": "Ana",
        "institution": "UTU",
        "country": "UY",
        "status": "submitted",
        "submitted_at": "2026-12-01 12:00",
        "answers": {"why": answer, "mode": "on"},
    }


def test_sheet_titles_excel_accepts() -> None:
    assert sheet_title("How useful was the support?") == "How useful was the support"
    assert sheet_title("a/b\\c*d[e]:f") == "a b c d e f"
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("?*?") == "survey"
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("tab\there\x00") == "tab here"


def test_xlsx_with_question_marks_and_control_characters() -> None:
    content = to_xlsx(
        QUESTIONS, [row("fine\x00\x01 =1+1"), row("=SUM(A1)\x0b")], TR, "en", "Did it help?"
    )
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet is not None and sheet.title == "Did it help"
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0][-2:] == ["Why? [really] [why]", "Mode [mode]"]
    assert values[1][-2:] == ["fine =1+1", "Online"]
    assert values[2][-2] == "'=SUM(A1)"


async def test_exports_and_charts_are_built_off_the_loop() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    beat = asyncio.create_task(ticker())
    rows = [row(f"answer {n}") for n in range(3000)]
    specs = [
        ChartSpec(f"Question {n}?", ["Yes", "No"], [n, 1], axis_label="answers") for n in range(4)
    ]
    (as_csv, as_xlsx), pngs = await asyncio.gather(
        build_exports(QUESTIONS, rows, TR, "en", "Survey?"), draw_bar_charts(specs)
    )
    beat.cancel()
    assert ticks > 10  # the loop kept running meanwhile
    assert as_csv.decode("utf-8-sig").count("\n") == 3001
    assert load_workbook(io.BytesIO(as_xlsx)).active.max_row == 3001  # type: ignore[union-attr]
    bars = [json.loads(Image.open(io.BytesIO(png)).text["bars"]) for png in pngs]
    assert bars == [{"Yes": float(n), "No": 1.0} for n in range(4)]


def test_chart_texts_are_not_mathtext() -> None:
    label = "a $\\frac{$ b"
    png, drawn = bar_chart(f"Cost in $ of {label}?", [label, "$5"], [2, 1], axis_label="answers")
    assert drawn == [2.0, 1.0]
    assert json.loads(Image.open(io.BytesIO(png)).text["bars"]) == {label: 2.0, "$5": 1.0}


def test_chart_numbers_in_the_reader_locale() -> None:
    """Issue 15: Spanish and Portuguese axes write 0,2, English 0.2 (Babel)."""
    from bot.render.charts import number_text

    assert number_text(2.5, "es") == "2,5" and number_text(2.5, "pt") == "2,5"
    assert number_text(2.5, "en") == "2.5" and number_text(3.0, "es") == "3"
    for language, half in (("es", "0,2"), ("pt", "0,2"), ("en", "0.2")):
        png, _ = bar_chart("Nota", ["A", "B"], [1.5, 0.5], axis_label="x", language=language)
        image = Image.open(io.BytesIO(png))
        image.load()
        ticks = json.loads(image.text["ticks"])
        assert half in ticks, ticks
        assert not any(("." if language != "en" else ",") in t for t in ticks), ticks
