"""Generated pages and schemas are reproducible and committed up to date."""

from __future__ import annotations

from claimtrack.cli import docs
from claimtrack.model import jsonschema as schemas

from .conftest import REPO, RunCli


def test_generated_pages_are_current(run_cli: RunCli) -> None:
    run_cli("docs", "--check", "--out", REPO / "docs")


def test_generation_is_deterministic() -> None:
    for page in docs.PAGES:
        assert page.render() == page.render()
    schemas.render.cache_clear()
    first = [schemas.render(s) for s in schemas.SCHEMAS]
    schemas.render.cache_clear()
    assert first == [schemas.render(s) for s in schemas.SCHEMAS]


def test_every_command_help_has_an_example() -> None:
    text = docs.cli_reference()
    for section in text.split("## claimtrack ")[1:]:
        assert "Example" in section, section.splitlines()[0]


def test_stale_page_is_detected_and_rewritten(tmp_path: object, run_cli: RunCli) -> None:
    out = str(tmp_path)
    run_cli("docs", "--check", "--out", out, code=1)
    run_cli("docs", "--out", out)
    run_cli("docs", "--check", "--out", out)
