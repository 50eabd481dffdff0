"""A chart as an SVG file, drawn on the server from the same `Chart` the page draws with Chart.js
(budgets/charts.py), for articles: the heading, the unit, the bars or lines with the same colours
and gaps, the source line and the site's name, every text as text (searchable, editable), and
each bar or point carrying its exact printed figure in a <title>. Why here and not in the
browser: docs/decisions.md, "Charts as SVG".

Text widths are estimated (a Chinese character is 1 em, other characters a little over half);
labels that would not fit are cut with "…" as the page's charts cut them.
"""

import math
import re
import unicodedata
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from budgets.charts import PALETTE, SITE_NAME
from budgets.templatetags.budget_format import format_amount

WIDTH = 960
MARGIN = 24
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
INK, MUTED, GRID = "#1f2328", "#5f6b73", "#e3e6e8"


def text_width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.56 for c in str(text))


_TOKENS = re.compile(r"[A-Za-z0-9.,%()'’\-–/]+\s*|\s+|.")


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of at most `width`: Latin words kept whole, Chinese broken between any characters."""
    lines, line = [], ""
    for token in _TOKENS.findall(str(text)):
        if line and text_width(line + token.rstrip(), size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def cut(text: str, size: float, width: float) -> str:
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def ticks(values) -> list[float]:
    """Round steps (1, 2, 2.5 or 5 × 10ⁿ) from zero or below the lowest value to above the highest."""
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [i * step for i in range(first, last + 1)]


def tick_label(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Canvas:
    def __init__(self):
        self.parts = []

    def text(self, x, y, text, size=13, fill=INK, anchor="start", weight="normal"):
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"'
            f"{' font-weight=' + quoteattr(weight) if weight != 'normal' else ''}>{escape(str(text))}</text>"
        )

    def rect(self, x, y, w, h, fill, title=""):
        tip = f"<title>{escape(title)}</title>" if title else ""
        self.parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}">{tip}</rect>'
        )

    def line(self, x1, y1, x2, y2, stroke=GRID, width=1):
        self.parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{stroke}" stroke-width="{width}"/>'
        )


def render(chart, host="") -> str:
    """The chart as a standalone SVG document (UTF-8 text)."""
    canvas = _Canvas()
    inner = WIDTH - 2 * MARGIN
    y = MARGIN
    for line in wrap(chart.heading, 22, inner):
        y += 28
        canvas.text(MARGIN, y, line, size=22, weight="bold")
    y += 22
    canvas.text(MARGIN, y, _("Unit: %(unit)s") % {"unit": chart.unit_text}, size=14, fill=MUTED)
    if len(chart.series) > 1:
        y = _legend(canvas, chart, y + 12, inner)
    top = y + 20
    plot_height = _plot_height(chart)
    if chart.horizontal:
        bottom = _horizontal_bars(canvas, chart, top, plot_height)
    else:
        bottom = _vertical(canvas, chart, top, plot_height)
    y = bottom + 12
    footer = ([(chart.note, "#b3261e")] if chart.note else []) + [(chart.source, MUTED)]
    for text, colour in footer:
        for line in wrap(text, 13, inner):
            y += 18
            canvas.text(MARGIN, y, line, fill=colour)
    y += 20
    site = " · ".join(part for part in (str(SITE_NAME), host) if part)
    canvas.text(WIDTH - MARGIN, y, site, fill=MUTED, anchor="end")
    height = math.ceil(y + MARGIN)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" role="img" aria-labelledby="svg-title">\n'
        f'<title id="svg-title">{escape(chart.heading)}</title>\n'
        f"<desc>{escape(chart.source)}</desc>\n"
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>\n' + "\n".join(canvas.parts) + "\n</svg>\n"
    )


def _legend(canvas, chart, y, inner):
    x = MARGIN
    y += 14
    for index, (name, _values) in enumerate(chart.series):
        label = cut(name, 13, inner - 20)
        width = 18 + text_width(label, 13) + 18
        if x > MARGIN and x + width > MARGIN + inner:
            x, y = MARGIN, y + 20
        canvas.rect(x, y - 10, 12, 12, PALETTE[index % len(PALETTE)])
        canvas.text(x + 18, y, label)
        x += width
    return y


def _plot_height(chart):
    if chart.horizontal:
        return max(160, len(chart.labels) * (10 + 14 * len(chart.series)))
    return 320


def _stack(chart):
    """The values the value axis must reach: each bar, or each stack's positive and negative sums."""
    numbers = [[None if v is None else float(v) for v in values] for _name, values in chart.series]
    if not chart.stacked:
        return [v for values in numbers for v in values if v is not None]
    reach = []
    for index in range(len(chart.labels)):
        column = [values[index] for values in numbers if values[index] is not None]
        reach += [sum(v for v in column if v > 0), sum(v for v in column if v < 0)]
    return reach


def _tip(chart, series_name, label, value):
    return f"{series_name} · {label}: {format_amount(Decimal(value))} {chart.unit_text}"


def _vertical(canvas, chart, top, plot_height):
    """Bars or lines with the categories (years, figures) along the bottom; returns the lowest y drawn."""
    steps = ticks(_stack(chart))
    axis_width = max(text_width(tick_label(t), 12) for t in steps) + 10
    left, right = MARGIN + axis_width, WIDTH - MARGIN
    bottom = top + plot_height
    low, high = steps[0], steps[-1]

    def at(value):
        return bottom - (value - low) / (high - low) * plot_height

    for step in steps:
        canvas.line(left, at(step), right, at(step), stroke="#9aa0a6" if step == 0 else GRID)
        canvas.text(left - 6, at(step) + 4, tick_label(step), size=12, fill=MUTED, anchor="end")
    band = (right - left) / max(1, len(chart.labels))
    lowest = bottom
    for index, label in enumerate(chart.labels):
        lines = wrap(label, 12, band - 4)
        if len(lines) > 3:
            lines = [*lines[:2], cut("".join(lines[2:]), 12, band - 4)]
        for number, line in enumerate(lines):
            canvas.text(
                left + band * (index + 0.5), bottom + 18 + 15 * number, line, size=12, anchor="middle"
            )
        lowest = max(lowest, bottom + 18 + 15 * (len(lines) - 1))
    if chart.kind == "line":
        _lines(canvas, chart, left, band, at)
    else:
        _bars(canvas, chart, left, band, at)
    return lowest


def _bars(canvas, chart, left, band, at):
    """Grouped bars share their group among the series with a figure there (as Chart.js' skipNull
    does); stacked bars pile up, positive parts upwards and negative ones downwards."""
    group = band * 0.8
    base = {}  # stacked: where the next part starts, per label and sign
    for index, label in enumerate(chart.labels):
        present = [(n, name, values[index]) for n, (name, values) in enumerate(chart.series)]
        present = [(n, name, value) for n, name, value in present if value is not None]
        width = group if chart.stacked else group / max(1, len(present))
        for slot, (number, name, value) in enumerate(present):
            v = float(value)
            x = left + band * index + (band - group) / 2 + (0 if chart.stacked else slot * width)
            start = base.get((index, v < 0), 0.0) if chart.stacked else 0.0
            if chart.stacked:
                base[(index, v < 0)] = start + v
            y1, y2 = sorted((at(start), at(start + v)))
            colour = PALETTE[number % len(PALETTE)]
            tip = _tip(chart, name, label, value)
            canvas.rect(x + 1, y1, max(width - 2, 1), max(y2 - y1, 0.5), colour, tip)


def _lines(canvas, chart, left, band, at):
    """One polyline per run of neighbouring years with a figure: a year without one is a gap."""
    for number, (name, values) in enumerate(chart.series):
        colour = PALETTE[number % len(PALETTE)]
        run = []
        for index, value in enumerate([*values, None]):
            if value is not None:
                run.append((left + band * (index + 0.5), at(float(value))))
                continue
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                canvas.parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
            run = []
        for index, value in enumerate(values):
            if value is not None:
                tip = escape(_tip(chart, name, chart.labels[index], value))
                canvas.parts.append(
                    f'<circle cx="{left + band * (index + 0.5):.1f}" cy="{at(float(value)):.1f}" r="4" '
                    f'fill="{colour}"><title>{tip}</title></circle>'
                )


def _horizontal_bars(canvas, chart, top, plot_height):
    """Classes down the left, their bars across (budget-year page); returns the lowest y drawn."""
    steps = ticks(_stack(chart))
    label_width = min(WIDTH * 0.38, max(text_width(label, 12) for label in chart.labels) + 10)
    left, right = MARGIN + label_width, WIDTH - MARGIN - 10
    bottom = top + plot_height
    low, high = steps[0], steps[-1]

    def at(value):
        return left + (value - low) / (high - low) * (right - left)

    for step in steps:
        canvas.line(at(step), top, at(step), bottom, stroke="#9aa0a6" if step == 0 else GRID)
        canvas.text(at(step), bottom + 16, tick_label(step), size=12, fill=MUTED, anchor="middle")
    band = plot_height / max(1, len(chart.labels))
    group = band * 0.8
    height = group / len(chart.series)
    for index, label in enumerate(chart.labels):
        canvas.text(
            left - 6, top + band * (index + 0.5) + 4, cut(label, 12, label_width - 10), size=12, anchor="end"
        )
        for number, (name, values) in enumerate(chart.series):
            value = values[index]
            if value is None:
                continue
            x1, x2 = sorted((at(0.0), at(float(value))))
            y = top + band * index + (band - group) / 2 + number * height
            colour = PALETTE[number % len(PALETTE)]
            canvas.rect(
                x1, y + 1, max(x2 - x1, 0.5), max(height - 2, 1), colour, _tip(chart, name, label, value)
            )
    return bottom + 16
