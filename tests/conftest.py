"""Shared fixtures: the CLI runner and throw-away copies of datasets."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimtrack.cli import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).resolve().parent / "examples"

RunCli = Callable[..., Result]


@pytest.fixture
def run_cli() -> RunCli:
    """Run `claimtrack ARGS...`, assert the exit code, and show the output when it differs."""

    def run(*args: str | Path, code: int = 0) -> Result:
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == code, (
            f"claimtrack {' '.join(map(str, args))} exited {result.exit_code}, expected {code}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
        return result

    return run


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the repository's own dataset (claims, seeds, schemas) to change freely."""
    root = tmp_path / "data"
    for name in ("claims", "seeds", "schemas"):
        shutil.copytree(REPO / name, root / name)
    return root
