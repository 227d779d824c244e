"""Every `--format` of every command, from one registry, and the row writers of listing commands.

:func:`registry` maps a kind of output (validation findings, rows, diffs, claim cards) to its
writers by name; the `--format` choices (:mod:`claimtrack.cli.format_names`) name the same.
Writers turn a result into text; :func:`emit` prints rows or writes them to a file (format from
its extension).
"""

from __future__ import annotations

import io
import shutil
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol

import click
import polars as pl

from claimtrack.escape import json_text, visible
from claimtrack.exc import InputError
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.tables.flat_csv import flat, flat_csv

MIN_COLUMN_WIDTH = 12  # narrower than this, a table is unreadable: one record per block instead


class RowWriter(Protocol):
    name: ClassVar[str]

    def __init__(self, *, raw: bool = False, stream: bool = False) -> None: ...

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str: ...


WRITERS: dict[str, type[RowWriter]] = {}


def register(cls: type[RowWriter]) -> type[RowWriter]:
    WRITERS[cls.name] = cls
    return cls


def printable(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns every writer can print: bytes as hex, durations and other types as text."""
    changes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Binary:
            changes.append(pl.col(name).bin.encode("hex"))
        elif isinstance(dtype, pl.Duration):
            changes.append(pl.col(name).dt.to_string("iso"))
        elif isinstance(dtype, pl.Time):
            changes.append(pl.col(name).dt.to_string())
        elif isinstance(dtype, pl.Struct):
            changes.append(pl.col(name).struct.json_encode())
        elif isinstance(dtype, pl.Array):
            changes.append(pl.col(name).arr.to_list())
    return frame.with_columns(changes) if changes else frame


def _cells(frame: pl.DataFrame) -> pl.DataFrame:
    return flat(printable(frame)).with_columns(pl.all().cast(pl.String))


class Writer:
    """Base of the row writers. ``raw`` keeps CSV cells byte for byte (no formula guard, no
    escapes); ``stream`` says the rows go to a terminal or a log rather than a file."""

    def __init__(self, *, raw: bool = False, stream: bool = False) -> None:
        self.raw = raw
        self.stream = stream


def _is_id(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def _id_widths(rows: pl.DataFrame) -> dict[str, int]:
    """The width of each id column (`id`, `*_id`): its longest value, so it is never folded."""
    widths = {}
    for column in rows.columns:
        if _is_id(column):
            longest = rows.get_column(column).str.len_chars().max()
            widths[column] = max(len(column), int(longest or 0))  # type: ignore[arg-type]
    return widths


@register
class TableWriter(Writer):
    """A table that fits the terminal: long cells wrap; when the columns cannot each get a
    readable width, one record per block (`column: value` lines) instead."""

    name: ClassVar[str] = "table"
    most: ClassVar[int] = 1_000  # rows drawn; a terminal shows no more, and drawing is slow

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        rest = max(0, frame.height - self.most)
        rows = _cells(frame.head(self.most))
        more = (
            f"... and {rest:,} more row(s): --format csv, json or ndjson, or -o FILE, gives "
            "every row\n"
            if rest
            else ""
        )
        return self._drawn(rows, width, color) + more

    def _drawn(self, rows: pl.DataFrame, width: int, color: bool) -> str:
        whole = _id_widths(rows)  # ids are never broken: they are copied into commands
        needed = sum(whole.get(c, MIN_COLUMN_WIDTH) + 3 for c in rows.columns)
        if width and needed > width:
            return self._records(rows, width)
        from rich.console import Console  # noqa: PLC0415 - only a table to print needs rich
        from rich.table import Table  # noqa: PLC0415 - same
        from rich.text import Text  # noqa: PLC0415 - same

        table = Table(show_lines=False, header_style="bold", expand=False)
        for column in rows.columns:
            table.add_column(Text(visible(column)), overflow="fold", min_width=whole.get(column))
        for row in rows.iter_rows():
            table.add_row(*(Text("" if v is None else visible(v)) for v in row))
        buffer = io.StringIO()
        Console(file=buffer, width=width or 100, force_terminal=color, no_color=not color).print(
            table
        )
        return buffer.getvalue()

    def _records(self, rows: pl.DataFrame, width: int) -> str:
        pad = min(max(len(c) for c in rows.columns), width // 3)
        blocks = []
        for i, row in enumerate(rows.iter_rows(), start=1):
            lines = [f"-- record {i} --"]
            for name, value in zip(rows.columns, row, strict=True):
                text = f"{visible(name):<{pad}}  {'' if value is None else visible(value)}"
                lines += textwrap.wrap(
                    text,
                    width,
                    subsequent_indent=" " * (pad + 2),
                    break_on_hyphens=False,
                    break_long_words=not _is_id(name),  # an id stays whole, to be copied
                ) or [text]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"


@register
class CsvWriter(Writer):
    """CSV for spreadsheets: a text cell starting with `=`, `+`, `-` or `@` gets a leading `'`
    so it is not run as a formula; printed (not written to a file), control characters and line
    breaks in cells show as `\\xNN`. ``raw`` writes every cell as it is."""

    name: ClassVar[str] = "csv"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        safe = not self.raw
        return flat_csv(printable(frame), spreadsheet_safe=safe, printable=safe and self.stream)


@register
class JsonWriter(Writer):
    """A JSON array of row objects (dates ISO 8601, decimals as strings)."""

    name: ClassVar[str] = "json"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        return json_text(printable(frame).write_json()) + "\n"


@register
class NdjsonWriter(Writer):
    name: ClassVar[str] = "ndjson"

    def render(self, frame: pl.DataFrame, *, width: int, color: bool) -> str:
        return json_text(printable(frame).write_ndjson())


# file name extension -> format: the formats by their own name, and `.jsonl` for ndjson
FILE_FORMATS = {f".{n}": n for n in ("parquet", "csv", "json", "ndjson")} | {".jsonl": "ndjson"}


def registry() -> dict[str, Mapping[str, Any]]:
    """Every writer by kind and name (a test checks these are the names
    :data:`claimtrack.cli.format_names.FORMAT_NAMES` offers as `--format` choices). The
    findings reporters and diff renderers are imported here, not by every command."""
    from claimtrack.cli.card_formats import CARD_WRITERS  # noqa: PLC0415 - see the docstring
    from claimtrack.cli.match_formats import MATCH_WRITERS  # noqa: PLC0415 - same
    from claimtrack.cli.reporters import REPORTERS  # noqa: PLC0415 - same
    from claimtrack.release.diff_render import RENDERERS  # noqa: PLC0415 - same

    return {
        "findings": REPORTERS,
        "rows": WRITERS,
        "diff": RENDERERS,
        "card": CARD_WRITERS,
        "matches": MATCH_WRITERS,
    }


def write_file(frame: pl.DataFrame, path: Path, *, raw: bool = False) -> None:
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
        text = WRITERS[kind](raw=raw).render(frame, width=0, color=False)
        buffer.write(text.encode("utf-8"))
    try:
        atomic_write_bytes(path, buffer.getvalue())
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror}", path=path) from None


def emit(frame: pl.DataFrame, fmt: str, path: Path | None, *, raw: bool = False) -> None:
    """Print rows in the chosen format, or write them to a file."""
    if path is not None:
        write_file(frame, path, raw=raw)
        click.echo(f"wrote {len(frame)} row(s) to {path}", err=True)
        return
    width = shutil.get_terminal_size().columns
    writer = WRITERS[fmt](raw=raw, stream=True)
    print_text(writer.render(frame, width=width, color=sys.stdout.isatty()), raw=raw)


def print_text(text: str, *, raw: bool = False) -> None:
    """Print made output: ``raw``, byte for byte (click.echo would strip escape sequences from
    piped output); else through click, which strips them."""
    if raw:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        click.echo(text, nl=False)
