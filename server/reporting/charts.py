"""Small bar charts as SVG text, drawn on the server: no charting library, prints as sharp as
the text around it. Every text that goes into the SVG is escaped here.

The colours are CSS classes (bar-issued, bar-resolved, …) that the page's stylesheet fills,
so the chart follows the page's palette on screen and in print.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

FONT = 13


@dataclass(frozen=True)
class Series:
    """One set of bars: its name in the legend, a value per category, its CSS class."""

    name: str
    values: Sequence[int]
    css_class: str


def text(value: object) -> str:
    return escape(str(value), quote=True)


MOST_STEPS = 5  # gridlines above the baseline, at most


def axis_ticks(value: int) -> list[int]:
    """The values of an axis up to `value`: whole numbers, evenly spaced by 1, 2 or 5 times a
    power of ten, the top a multiple of that step (0, 2, 4, 6, 8, 10; never 0, 2, 5, 8, 10,
    which makes a bar of 5 look like half of one of 10 and misreads every other line)."""
    highest = max(value, 1)
    power = 10 ** math.floor(math.log10(highest))
    step = next(
        size * scale
        for scale in (power // 10 or 1, power, power * 10)
        for size in (1, 2, 5)
        if math.ceil(highest / (size * scale)) <= MOST_STEPS
    )
    return list(range(0, math.ceil(highest / step) * step + 1, step))


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 280,
    number: Callable[[int], str] = str,
) -> str:
    """Vertical bars, one group per category and one bar per series, with their values."""
    left, right, top, bottom = 44, 12, 34, 44
    plot_width, plot_height = width - left - right, height - top - bottom
    ticks = axis_ticks(max((v for s in series for v in s.values), default=0))
    highest = ticks[-1]
    parts = [svg_open(title, width, height)]
    parts.append(legend(series, left, 16))
    for value in ticks:
        y = top + plot_height - plot_height * value / highest
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{text(number(value))}</text>"
        )
    group_width = plot_width / max(len(categories), 1)
    bar_width = min(36.0, group_width * 0.7 / max(len(series), 1))
    for index, category in enumerate(categories):
        group_left = left + group_width * index + (group_width - bar_width * len(series)) / 2
        for place, one in enumerate(series):
            value = one.values[index]
            bar_height = plot_height * value / highest
            x = group_left + bar_width * place
            y = top + plot_height - bar_height
            parts.append(
                f'<rect class="{text(one.css_class)}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_width - 2:.1f}" height="{bar_height:.1f}">'
                f"<title>{text(one.name)} — {text(category)}: {text(number(value))}</title></rect>"
                f'<text class="value" x="{x + (bar_width - 2) / 2:.1f}" y="{y - 4:.1f}" '
                f'text-anchor="middle">{text(number(value))}</text>'
            )
        parts.append(
            f'<text class="axis" x="{left + group_width * (index + 0.5):.1f}" '
            f'y="{height - bottom + 18}" text-anchor="middle">{text(category)}</text>'
        )
    parts.append(
        f'<line class="baseline" x1="{left}" y1="{top + plot_height}" '
        f'x2="{width - right}" y2="{top + plot_height}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(
    title: str,
    bars: Sequence[tuple[str, int, str]],
    *,
    width: int = 720,
    number: Callable[[int], str] = str,
    note: Callable[[int, int], str] | None = None,
) -> str:
    """One horizontal bar per (label, value, CSS class), longest = the largest value;
    `note(value, total)` adds a text after the value (e.g. its share)."""
    label_width, row_height, top = 110, 34, 8
    height = top * 2 + row_height * len(bars)
    total = sum(value for _, value, _ in bars)
    highest = max((value for _, value, _ in bars), default=0) or 1
    room = width - label_width - 150
    parts = [svg_open(title, width, height)]
    for index, (label, value, css_class) in enumerate(bars):
        y = top + row_height * index
        length = room * value / highest
        after = number(value) + (f" ({note(value, total)})" if note else "")
        parts.append(
            f'<text class="label" x="{label_width - 8}" y="{y + row_height / 2 + 5:.1f}" '
            f'text-anchor="end">{text(label)}</text>'
            f'<rect class="{text(css_class)}" x="{label_width}" y="{y + 6}" '
            f'width="{length:.1f}" height="{row_height - 12}"/>'
            f'<text class="value" x="{label_width + length + 6:.1f}" '
            f'y="{y + row_height / 2 + 5:.1f}">{text(after)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_open(title: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-size="{FONT}" aria-label="{text(title)}"><title>{text(title)}</title>'
    )


def legend(series: Sequence[Series], x: int, y: int) -> str:
    parts = []
    for one in series:
        parts.append(
            f'<rect class="{text(one.css_class)}" x="{x}" y="{y - 10}" width="12" height="12"/>'
            f'<text class="legend" x="{x + 17}" y="{y}">{text(one.name)}</text>'
        )
        x += 17 + int(len(one.name) * FONT * 0.56) + 24
    return "".join(parts)
