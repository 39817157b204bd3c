"""Bar charts of survey answers as PNG (matplotlib, Agg backend: no display needed).

The heights drawn and the axis' tick labels are read back from the figure and written into
the PNG's text metadata (``bars``, ``ticks``), so what a reader sees can be checked against
the counts.

Drawing takes 1-1.6 s for a survey's charts, so handlers call :func:`draw_bar_charts`, which
draws in a worker thread. A thread rather than a process: the charts are small, a process
would have to import matplotlib (seconds) or be kept alive, and the drawing mostly runs in
Agg's C++ code. Matplotlib is not thread-safe, so figures are made without pyplot's global
state (a plain ``Figure`` on an Agg canvas) and one lock lets one chart be drawn at a time.
"""

from __future__ import annotations

import asyncio
import io
import json
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
from babel.numbers import format_decimal

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.core.i18n import babel_locale

_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartSpec:
    """What one bar chart shows."""

    title: str
    labels: Sequence[str]
    values: Sequence[float]
    axis_label: str


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    axis_label: str,
    language: str = "en",
) -> tuple[bytes, list[float]]:
    """A horizontal bar chart; returns the PNG and the bar heights as drawn. Blocking:
    async code calls :func:`draw_bar_charts`. Numbers are written as the reader's
    language writes them (2,5 in Spanish and Portuguese)."""
    with _DRAWING:
        return _draw(title, labels, values, axis_label, language)


def number_text(value: float, language: str) -> str:
    """A number on a chart in the reader's locale (Babel): ``2,5`` in es/pt, ``2.5`` in en."""
    return format_decimal(value, format="#,##0.##", locale=babel_locale(language))


def _literal(text: str) -> str:
    """Text shown as typed: a pair of ``$`` would start matplotlib's mathtext, and a broken
    formula in a question (``a $\\frac{$``) made the whole /results fail."""
    return text.replace("$", r"\$")


def _draw(
    title: str, labels: Sequence[str], values: Sequence[float], axis_label: str, language: str
) -> tuple[bytes, list[float]]:
    height = 1.4 + 0.45 * max(1, len(labels))
    figure = Figure(figsize=(7.5, height), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    wrapped = ["\n".join(textwrap.wrap(_literal(label), 28)) or "—" for label in labels]
    positions = list(range(len(labels)))[::-1]  # first option on top
    bars = axes.barh(positions, values, color="#1f6fb2")
    axes.set_yticks(positions, wrapped)
    axes.set_xlabel(axis_label)
    axes.set_title("\n".join(textwrap.wrap(_literal(title), 60)), fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    top = max(values, default=0) or 1
    axes.set_xlim(0, top * 1.18)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number_text(x, language)))
    for bar, value in zip(bars, values, strict=True):
        axes.text(
            bar.get_width() + top * 0.01,
            bar.get_y() + bar.get_height() / 2,
            number_text(value, language),
            va="center",
            fontsize=9,
        )
    drawn = [float(bar.get_width()) for bar in bars]
    figure.tight_layout()
    figure.canvas.draw()  # the tick labels exist once drawn: they go in the metadata too
    ticks = [t.get_text() for t in axes.get_xticklabels()]
    buffer = io.BytesIO()
    figure.savefig(
        buffer,
        format="png",
        metadata={
            "bars": json.dumps(dict(zip(labels, drawn, strict=True))),
            "ticks": json.dumps(ticks, ensure_ascii=False),
        },
    )
    return buffer.getvalue(), drawn


async def draw_bar_charts(specs: Sequence[ChartSpec], language: str = "en") -> list[bytes]:
    """The PNGs of ``specs``, drawn in a worker thread (the event loop keeps serving)."""

    def draw_all() -> list[bytes]:
        return [
            bar_chart(s.title, s.labels, s.values, axis_label=s.axis_label, language=language)[0]
            for s in specs
        ]

    return await asyncio.to_thread(draw_all)
