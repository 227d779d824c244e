"""Row output for listing commands: one registry from `--format` names to writers.

Writers turn a frame into text for the terminal or a pipe; :func:`write_file` writes a frame to
a file (format from its extension) atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar, Protocol

import polars as pl
from rich.console import Console
from rich.table import Table

from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.exc import InputError

LIST_SEPARATOR = "; "


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with `; `, everything else as is: for CSV and terminal tables."""
    lists = [n for n, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(n).list.join(LIST_SEPARATOR) for n in lists)


def flat_csv(frame: pl.DataFrame) -> str:
    """A table as CSV for spreadsheets: lists joined by `; `, UTC timestamps as `...Z`."""
    return flat(frame).write_csv(datetime_format="%Y-%m-%dT%H:%M:%SZ")


class RowWriter(Protocol):
    name: ClassVar[str]

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str: ...


WRITERS: dict[str, type[RowWriter]] = {}


def register(cls: type[RowWriter]) -> type[RowWriter]:
    WRITERS[cls.name] = cls
    return cls


@register
class TableWriter:
    """A readable table that fits the terminal's width (long cells wrap)."""

    name: ClassVar[str] = "table"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        table = Table(show_lines=False, header_style="bold", expand=False)
        rows = flat(frame).with_columns(pl.all().cast(pl.String))
        for column in rows.columns:
            table.add_column(column, overflow="fold")
        for row in rows.iter_rows():
            table.add_row(*("" if v is None else v for v in row))
        buffer = io.StringIO()
        Console(file=buffer, width=width, force_terminal=color, no_color=not color).print(table)
        return buffer.getvalue()


@register
class CsvWriter:
    name: ClassVar[str] = "csv"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        return flat_csv(frame)


@register
class JsonWriter:
    """A JSON array of row objects (dates ISO 8601, decimals as strings)."""

    name: ClassVar[str] = "json"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        return frame.write_json() + "\n"


@register
class NdjsonWriter:
    name: ClassVar[str] = "ndjson"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        return frame.write_ndjson()


FILE_FORMATS = {
    ".parquet": "parquet",
    ".csv": "csv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


def write_file(frame: pl.DataFrame, path: Path) -> None:
    """Write the frame to ``path`` in the format its extension names, atomically."""
    kind = FILE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"cannot tell the output format from `{path.suffix or path.name}`",
            path=path,
            hint="end the file name with " + ", ".join(FILE_FORMATS),
        )
    buffer = io.BytesIO()
    if kind == "parquet":
        frame.write_parquet(buffer)
    else:
        buffer.write(WRITERS[kind]().render(frame, width=0, color=False).encode("utf-8"))
    atomic_write_bytes(path, buffer.getvalue())
