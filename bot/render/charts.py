"""Bar charts of survey answers as PNG (matplotlib, Agg backend: no display needed).

The heights drawn are read back from the figure and written into the PNG's text metadata
(``bars``), so what a reader sees can be checked against the counts.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt
from matplotlib.figure import Figure


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, axis_label: str
) -> tuple[bytes, list[float]]:
    """A horizontal bar chart; returns the PNG and the bar heights as drawn."""
    height = 1.4 + 0.45 * max(1, len(labels))
    figure: Figure = plt.figure(figsize=(7.5, height), dpi=110)
    try:
        axes = figure.add_subplot(1, 1, 1)
        wrapped = ["\n".join(textwrap.wrap(label, 28)) or "—" for label in labels]
        positions = list(range(len(labels)))[::-1]  # first option on top
        bars = axes.barh(positions, values, color="#1f6fb2")
        axes.set_yticks(positions, wrapped)
        axes.set_xlabel(axis_label)
        axes.set_title("\n".join(textwrap.wrap(title, 60)), fontsize=11, loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        top = max(values, default=0) or 1
        axes.set_xlim(0, top * 1.18)
        for bar, value in zip(bars, values, strict=True):
            axes.text(
                bar.get_width() + top * 0.01,
                bar.get_y() + bar.get_height() / 2,
                f"{value:g}",
                va="center",
                fontsize=9,
            )
        drawn = [float(bar.get_width()) for bar in bars]
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="png",
            metadata={"bars": json.dumps(dict(zip(labels, drawn, strict=True)))},
        )
        return buffer.getvalue(), drawn
    finally:
        plt.close(figure)
