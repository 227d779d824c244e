"""Options shared by several commands, each defined once, and the exit codes of every command."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from claimtrack.cli.format_names import FORMAT_NAMES
from claimtrack.escape import visible
from claimtrack.store.layout import Dataset
from claimtrack.validate.jobs import default_jobs

if TYPE_CHECKING:
    from claimtrack.edit.claims import Edited

F = TypeVar("F", bound=Callable[..., Any])


def dataset_option(name: str, help_text: str) -> Callable[[F], F]:
    """A dataset folder option (None when not given: the command uses the current folder)."""
    return click.option(
        name,
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        show_default="the current folder",
        help=help_text,
    )


root_option = dataset_option("--root", "Dataset folder: the one holding claims/ and seeds/.")


def jobs_option(func: F) -> F:
    """`--jobs N`: worker processes for validation (all cores by default)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        callback=lambda _ctx, _param, value: value or default_jobs(),
        help="Worker processes for validation.  [default: all cores]",
    )(func)


def format_option(kind: str, default: str, help_text: str) -> Callable[[F], F]:
    """`--format NAME`, its choices taken from the one registry of output formats."""

    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(FORMAT_NAMES[kind])),
            default=default,
            show_default=True,
            help=help_text,
        )(func)

    return decorate


def output_option(func: F) -> F:
    """`--output FILE`: write to a file instead of standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead; for rows the format follows its extension "
        "(.parquet, .csv, .json, .ndjson).",
    )(func)


def raw_option(func: F) -> F:
    """`--raw`: CSV cells byte for byte, without the guard against spreadsheet formulas."""
    return click.option(
        "--raw",
        is_flag=True,
        help="CSV: write text cells as they are. By default a cell starting with =, +, -, @, "
        "a tab or a carriage return gets a leading ' so spreadsheets do not run it.",
    )(func)


def rows_options(func: F) -> F:
    """`--format`, `--output` and `--raw`, shared by every command that lists rows."""
    return format_option("rows", "table", "How to print rows.")(output_option(raw_option(func)))


MAX_LISTED = 24  # a choice list longer than this is named by a word in usage and listed in help
_fitted: set[int] = set()


def fit_choices(command: click.Command) -> None:
    """Keep `--help` within 80 columns: a long choice list (`[a|b|c|...]`, which click never
    wraps) becomes a name (`--kind KIND`), and the choices are listed in the option's help, or
    for an argument in the command's, where they wrap. Sub-commands too; once per command."""
    if id(command) in _fitted:
        return
    _fitted.add(id(command))
    for param in command.params:
        if not isinstance(param.type, click.Choice) or param.metavar is not None:
            continue
        choices = [str(c) for c in param.type.choices]
        if len("|".join(choices)) + 2 <= MAX_LISTED:
            continue
        listing = ", ".join(f"`{c}`" for c in choices)
        if isinstance(param, click.Option):
            param.metavar = param.opts[-1].lstrip("-").upper().replace("-", "_")
            param.help = f"{param.help or ''} One of: {listing}.".strip()
        else:
            param.metavar = param.human_readable_name.upper()
            text = inspect.cleandoc(command.help or "")
            command.help = f"{text}\n\n{param.metavar} is one of: {listing}."
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            fit_choices(sub)


def open_dataset(root: Path | None) -> Dataset:
    """The dataset of ``--root``, or of the current folder."""
    return Dataset.open(root or Path())


def show_edit(edited: Edited) -> None:
    """An edit made: its diff on stdout, the file written on stderr."""
    click.echo(visible(edited.diff, newlines=True), nl=False)
    click.echo(f"wrote {edited.path}", err=True)
