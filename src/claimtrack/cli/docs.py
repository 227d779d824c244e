"""`claimtrack docs`: the command-line reference, here where the commands are, written to `docs/`
with the library's reference pages (:mod:`claimtrack.release.reference`).

Each page is a pure function of the code, so CI regenerates them and fails on any difference
(`claimtrack docs --check`).
"""

from __future__ import annotations

from pathlib import Path

import click

from claimtrack.release.reference import HEADER, data_dictionary, rules, vocabularies
from claimtrack.store.atomic import atomic_write_text


def cli_reference(cli: click.Group) -> str:
    lines = [HEADER + "# Command-line reference\n"]
    settings = {**cli.context_settings, "terminal_width": 100}
    with click.Context(cli, info_name="claimtrack", **settings) as ctx:
        lines += ["```text", cli.get_help(ctx), "```\n"]
        lines += _commands(cli, ctx, "claimtrack")
    return "\n".join(lines)


def _commands(group: click.Group, ctx: click.Context, prefix: str) -> list[str]:
    """The help of every command of ``group``, and of its groups' commands, in order."""
    lines: list[str] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None:
            continue
        with click.Context(command, info_name=name, parent=ctx, terminal_width=100) as sub:
            lines += [f"## {prefix} {name}\n", "```text", command.get_help(sub), "```\n"]
            if isinstance(command, click.Group):
                lines += _commands(command, sub, f"{prefix} {name}")
    return lines


def pages(cli: click.Group) -> dict[str, str]:
    """Every generated page by file name; ``cli`` is the command group the reference describes."""
    return {
        "vocabularies.md": vocabularies(),
        "rules.md": rules(),
        "cli.md": cli_reference(cli),
        "data-dictionary.md": data_dictionary(),
    }


def stale(folder: Path, cli: click.Group) -> list[Path]:
    """Pages under ``folder`` that differ from what the code generates now."""
    return [
        folder / name
        for name, text in pages(cli).items()
        if not (folder / name).is_file() or (folder / name).read_text("utf-8") != text
    ]


def write(folder: Path, cli: click.Group) -> list[Path]:
    """Regenerate the stale pages; return them."""
    changed = stale(folder, cli)
    current = pages(cli)
    for path in changed:
        atomic_write_text(path, current[path.name])
    return changed
