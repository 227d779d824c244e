"""Generated pages and schemas are reproducible and committed up to date."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from claimtrack.cli import docs
from claimtrack.cli.app import cli
from claimtrack.model import schema_export as schemas

from ..conftest import REPO, RunCli


def test_generated_pages_are_current(run_cli: RunCli) -> None:
    result = run_cli("docs", "--check", "--out", REPO / "docs")
    assert result.output == ""


def _generate_elsewhere(tmp_path: Path, *args: str) -> None:
    """Run `claimtrack ARGS` in a fresh interpreter with a different hash seed and folder."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "COLUMNS": "37"}
    subprocess.run(
        [sys.executable, "-m", "claimtrack", *args], cwd=tmp_path, env=env, check=True, timeout=120
    )


def test_pages_are_the_same_bytes_from_another_process(tmp_path: Path) -> None:
    # another process, hash seed, terminal width and working folder: nothing may leak in
    _generate_elsewhere(tmp_path, "docs", "--out", str(tmp_path / "out"))
    here = docs.pages(cli)
    written = {p.name: p.read_text("utf-8") for p in (tmp_path / "out").iterdir()}
    assert written == here
    assert written == {name: (REPO / "docs" / name).read_text("utf-8") for name in here}


def test_schemas_are_the_same_bytes_from_another_process(tmp_path: Path) -> None:
    _generate_elsewhere(tmp_path, "schema", "--root", str(tmp_path))
    for item in schemas.SCHEMAS:
        assert (tmp_path / "schemas" / item.file_name).read_bytes() == schemas.render(item)


def test_every_command_help_has_an_example() -> None:
    text = docs.cli_reference(cli)
    sections = text.split("## claimtrack ")[1:]
    with click.Context(cli) as ctx:
        commands = [cli.get_command(ctx, name) for name in cli.list_commands(ctx)]
    groups = [c for c in commands if isinstance(c, click.Group)]
    assert len(sections) == len(commands) + sum(len(g.commands) for g in groups)
    for section in sections:
        assert "Example" in section, section.splitlines()[0]


def test_every_example_file_in_the_reference_exists() -> None:
    # the reference shows commands a reader will copy: the files they name must be real
    text = docs.cli_reference(cli)
    for token in text.split():
        if token.startswith("claims/") and token.endswith(".yaml"):
            assert (REPO / token).is_file(), token


def test_stale_page_is_detected_and_rewritten(tmp_path: Path, run_cli: RunCli) -> None:
    out = str(tmp_path)
    result = run_cli("docs", "--check", "--out", out, code=1)
    assert "cli.md: stale; run `claimtrack docs`" in result.stderr
    run_cli("docs", "--out", out)
    run_cli("docs", "--check", "--out", out)
