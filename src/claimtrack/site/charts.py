"""Charts as SVG in the page: readable without JavaScript, each with a title and a table of its
numbers beside it for screen readers. Labels are data: the caller's template escapes them."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
LABEL_WIDTH = 210
BAR_AREA = 360


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int
    text_y: int


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, largest first; the template draws them."""

    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA

    @property
    def width(self) -> int:
        return self.label_width + self.bar_area + 70


def bar_chart(title: str, counts: dict[str, int], *, limit: int = 20) -> BarChart:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    top = max((n for _, n in items), default=1) or 1
    bars = [
        Bar(
            label if len(label) <= 32 else label[:31] + "…",
            n,
            i * (BAR_HEIGHT + 6),
            max(1, round(BAR_AREA * n / top)),
            i * (BAR_HEIGHT + 6) + 16,
        )
        for i, (label, n) in enumerate(items)
    ]
    return BarChart(title, bars, max(1, len(bars)) * (BAR_HEIGHT + 6))


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: int
    height: int


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns over time (months), in order."""

    title: str
    columns: list[Column]
    width: int
    height: int = 160
    column_width: int = 18


def column_chart(title: str, counts: dict[str, int]) -> ColumnChart:
    items = sorted(counts.items())
    top = max((n for _, n in items), default=1) or 1
    columns = [
        Column(label, n, 40 + i * 22, max(1, round(120 * n / top)))
        for i, (label, n) in enumerate(items)
    ]
    return ColumnChart(title, columns, 60 + 22 * max(1, len(items)))
