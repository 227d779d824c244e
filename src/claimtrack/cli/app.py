"""The `claimtrack` command: thin click commands over the library.

Exit codes (all commands):
  0  success: valid data, command done
  1  findings: the data is invalid (validate, and any command that reads the dataset), the
     schemas or docs are stale (--check), or a query matched no rows
  2  usage or input error: bad option, missing file or folder, not a dataset, bad query
  3  internal error: a bug in claimtrack; please report it with the command that caused it
  141  the reader of the output closed it (`| head`): the command stops quietly

Every library error reaches the user through :class:`App`, the one place that turns an exception
into a message with its fix and an exit code.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from typing import Any, NoReturn

import click

from claimtrack import __version__
from claimtrack.cli.exits import EXIT_BROKEN_PIPE, EXIT_CODES_HELP, EXIT_INTERNAL
from claimtrack.cli.options import fit_choices
from claimtrack.escape import visible
from claimtrack.exc import ClaimtrackError
from claimtrack.validate.findings import Finding

SHOWN_FINDINGS = 10  # an error carrying findings shows the first few; `validate` shows them all


def fail(error: ClaimtrackError) -> NoReturn:
    """Print a library error, its findings if it has some, and its fix; exit with its code."""
    click.echo(visible(f"error: {error}"), err=True)
    findings: list[Finding] = list(getattr(error, "findings", []))
    errors = [f for f in findings if f.severity == "error"]
    for f in errors[:SHOWN_FINDINGS]:
        click.echo(visible(f"  {f.path}:{f.line}:{f.column}: [{f.rule}] {f.message}"), err=True)
        click.echo(visible(f"      hint: {f.hint}"), err=True)
    if len(errors) > SHOWN_FINDINGS:
        click.echo(f"  ... and {len(errors) - SHOWN_FINDINGS} more", err=True)
    if error.hint:
        click.echo(visible(f"  hint: {error.hint}"), err=True)
    sys.exit(error.exit_code)


def crash(error: BaseException) -> NoReturn:
    """An exception no command expected: a bug. Say so, without a traceback unless asked."""
    click.echo(visible(f"internal error: {type(error).__name__}: {error}"), err=True)
    click.echo("  this is a bug in claimtrack; please report it with the command you ran", err=True)
    if "CLAIMTRACK_DEBUG" in os.environ:
        traceback.print_exc()
    sys.exit(EXIT_INTERNAL)


# command name -> module and object: a command's module is imported only when it is run (or
# when help or the reference lists every command), so `claimtrack show` starts fast
COMMANDS = {
    "validate": ("validate", "validate"),
    "schema": ("generated", "schema"),
    "docs": ("generated", "docs"),
    "query": ("read", "query_command"),
    "show": ("show", "show"),
    "stats": ("read", "stats"),
    "release": ("releases", "release_command"),
    "diff": ("releases", "diff_command"),
    "verify": ("releases", "verify_command"),
    "key": ("releases", "key_group"),
    "init": ("data", "init_command"),
    "import": ("data", "import_command"),
    "export": ("data", "export_command"),
    "seed": ("edit", "seed"),
    "claim": ("edit", "claim"),
    "fix": ("upkeep", "fix_command"),
    "about": ("upkeep", "about_command"),
    "site": ("site", "site_command"),
    "match": ("track", "match_command"),
    "watch": ("track", "watch_command"),
}


class App(click.Group):
    """The command group: loads commands on demand, and maps library errors to messages and
    exit codes for every command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"claimtrack.cli.commands.{module}"), name)
        assert isinstance(command, click.Command)
        fit_choices(command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimtrackError as error:
            fail(error)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BrokenPipeError:
            reader_gone()
        except BaseException as error:  # a Rust panic is a BaseException
            crash(error)


def reader_gone() -> NoReturn:
    """The reader of our output went away (`| head`): stop quietly, as Unix tools do. Later
    writes go nowhere, so Python's own flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


@click.group(
    cls=App, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP
)
@click.version_option(__version__, prog_name="claimtrack")
def cli() -> None:
    """Typed, attributed, quote-backed claims datasets.

    \b
    Example:
      claimtrack validate            # check the dataset in the current folder
    """


def main() -> None:
    """Entry point: run the CLI; an exception outside any command is still exit 3."""
    # No third-party pydantic plugins in the CLI: looking them up reads every installed
    # package's metadata (20-40 ms of each command's start). Set it to "" to load them.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # Polars' allocator is set by `import claimtrack` (see claimtrack/__init__.py).
    try:
        cli.main(standalone_mode=True)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BrokenPipeError:
        reader_gone()
    except BaseException as error:  # a Rust panic is a BaseException
        crash(error)
