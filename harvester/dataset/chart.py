"""Documents per year as an SVG bar chart, written by hand: a few rectangles and labels need no
plotting library, and the file is byte-identical for the same counts."""

from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import Any

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 40, 48
BAR = "#4a6fa5"


def document_year(document: dict[str, Any]) -> int | None:
    """The year a document is from, when its date lies within one year (a day, a month or a
    year); null for an undated document and for a range or a decade."""
    date = document.get("date") or {}
    earliest, latest = date.get("earliest"), date.get("latest")
    if not earliest or not latest or earliest[:-6] != latest[:-6]:
        return None
    return int(earliest[:-6])


def per_year(documents: Iterable[dict[str, Any]]) -> tuple[Counter, int]:
    """Documents per year (a date within one year), and how many have no such year."""
    counts: Counter = Counter()
    undated = 0
    for document in documents:
        year = document_year(document)
        if year is None:
            undated += 1
        else:
            counts[year] += 1
    return counts, undated


def axis_step(top: int) -> int:
    """A round step for the count axis giving at most five lines."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return 10000


def documents_per_year_svg(counts: Counter, undated: int, title: str) -> str:
    """One bar per year from the first to the last (empty years show as gaps)."""
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    top = max(counts.values(), default=1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(years), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11" '
             'role="img">',
             f"<title>{escape(title)}</title>",
             f'<text x="{LEFT}" y="20" font-size="14">{escape(title)}</text>']
    step = axis_step(top)
    for value in range(0, top + 1, step):
        y = TOP + plot_h - plot_h * value / top
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    label_every = max(1, len(years) // 12)
    for n, year in enumerate(years):
        x = LEFT + n * slot
        height = plot_h * counts[year] / top
        if counts[year]:
            parts.append(f'<rect x="{x + slot * 0.1:.1f}" y="{TOP + plot_h - height:.1f}" '
                         f'width="{slot * 0.8:.1f}" height="{height:.1f}" fill="{BAR}">'
                         f"<title>{year}: {counts[year]}</title></rect>")
        if n % label_every == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                         f'text-anchor="middle">{year}</text>')
    note = f"{sum(counts.values())} documents dated within a year"
    if undated:
        note += f"; {undated} undated or dated to a wider span, not shown"
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 10}" fill="#555">{escape(note)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
