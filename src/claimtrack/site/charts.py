"""Charts as SVG in the page: readable without JavaScript, on a phone as on a desktop, each with
a title and a table of its numbers beside it for screen readers. Labels are data: the caller's
template escapes them.

Bars put each label on its own line above its bar, so no label is cut whatever its length.
Columns over time are binned when dense (months, then quarters, then years) and only as many
labels are drawn as fit, in words (`Oct 2021`).
"""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.site.words import MONTHS

ROW = 40  # a bar's row: its label, then the bar
BAR_AREA = 330
WIDTH = 400  # viewBox width: drawn near 1:1 on a phone, so 14-unit text stays readable
LABEL_CHARS = 48
MAX_COLUMNS = 36
COLUMN_AREA = 600


@dataclass(frozen=True)
class Bar:
    label: str
    title: str  # the whole label, when the drawn one is shortened
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, largest first; the template draws them."""

    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    row: int = ROW


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(title: str, counts: dict[str, int], *, limit: int = 20) -> BarChart:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    top = max((n for _, n in items), default=1) or 1
    bars = [
        Bar(_short(label), label, n, i * ROW, max(1, round(BAR_AREA * n / top)))
        for i, (label, n) in enumerate(items)
    ]
    return BarChart(title, bars, max(1, len(bars)) * ROW)


@dataclass(frozen=True)
class Column:
    label: str  # drawn under the column, or "" where labels would crowd
    title: str  # the period in words
    count: int
    x: int
    height: int


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns over time, in order."""

    title: str
    columns: list[Column]
    width: int
    column_width: int
    height: int = 160


def period_words(period: str) -> str:
    """`2021-10` -> `Oct 2021`; `2021-Q4` -> `Q4 2021`; a year as it is."""
    year, _, rest = period.partition("-")
    if rest.startswith("Q"):
        return f"{rest} {year}"
    if rest.isdigit() and 1 <= int(rest) <= 12:
        return f"{MONTHS[int(rest) - 1][:3]} {year}"
    return period


def binned(counts: dict[str, int]) -> dict[str, int]:
    """Monthly counts (`YYYY-MM`), by quarter or by year when there are too many months."""
    if len(counts) <= MAX_COLUMNS:
        return counts
    quarters: dict[str, int] = {}
    for month, n in counts.items():
        year, _, m = month.partition("-")
        key = f"{year}-Q{(int(m) - 1) // 3 + 1}" if m.isdigit() else year
        quarters[key] = quarters.get(key, 0) + n
    if len(quarters) <= MAX_COLUMNS:
        return quarters
    years: dict[str, int] = {}
    for key, n in quarters.items():
        years[key[:4]] = years.get(key[:4], 0) + n
    return years


def column_chart(title: str, counts: dict[str, int]) -> ColumnChart:
    items = sorted(binned({k: v for k, v in counts.items() if k}).items())
    top = max((n for _, n in items), default=1) or 1
    step = max(8, min(40, COLUMN_AREA // max(1, len(items))))
    every = max(1, -(-70 // step))  # a label needs about 70 units
    columns = [
        Column(
            period_words(label) if i % every == 0 else "",
            period_words(label),
            n,
            10 + i * step,
            max(1, round(120 * n / top)),
        )
        for i, (label, n) in enumerate(items)
    ]
    width = max(WIDTH, 20 + step * max(1, len(items)))  # a short series is not blown up
    return ColumnChart(title, columns, width, max(4, step - 4))
