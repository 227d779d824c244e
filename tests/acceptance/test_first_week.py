"""A newcomer's first week: the commands as a new user runs them, and what they must see."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import polars as pl
import pytest
from click.testing import CliRunner

import claimtrack
from claimtrack.cli.app import cli
from claimtrack.cli.formats import TableWriter
from tests.conftest import RunCli, add_text_seed, committed, publishable

TEXT = (
    "Council approves bridge budget\n\n"
    'The council said « the bridge cost £2m » on Monday. A spokesman said " it was on time ".\n'
    "The mayor added: \u00ab\u202fwe are proud\u202f\u00bb.\n"
)


@pytest.fixture
def fresh(tmp_path: Path, run_cli: RunCli) -> Path:
    """A dataset made by `init`, with one plain-text seed (id `bridge`)."""
    root = tmp_path / "d"
    run_cli("init", root)
    add_text_seed(run_cli, root, TEXT, "--id", "bridge", "--published", "2024-02-05",
                  "--redistribution", "full_text", name="bridge.txt")  # fmt: skip
    return root


def _add(run_cli: RunCli, root: Path, quote: str, statement: str, code: int = 0) -> str:
    result = run_cli("claim", "add", "--root", root, "--seed", "bridge", "--quote", quote,
                     "--statement", statement, "--kind", "event", "--asserter", "A spokesman",
                     code=code)  # fmt: skip
    return result.stdout + result.stderr


def _evidence(root: Path, claim_id: str) -> dict[str, object]:
    tables = claimtrack.load_tables(root)
    rows = tables["evidence"].filter(claimtrack_id(claim_id)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def claimtrack_id(claim_id: str) -> pl.Expr:
    return pl.col("claim_id") == claim_id


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ('"the bridge cost £2m"', "the bridge cost £2m"),  # the source writes « ... »
        ("« it was on time »", '" it was on time "'),  # the source: " ... " with spaces
        ('"it was on time"', "it was on time"),  # the same, typed without the spaces
        ('said "it was on time"', 'said " it was on time "'),  # marks inside the quote
        ('"we are proud"', "we are proud"),  # narrow no-break spaces inside « »
    ],
)
def test_quotes_are_found_across_quotation_mark_styles(
    fresh: Path, run_cli: RunCli, typed: str, recorded: str
) -> None:
    _add(run_cli, fresh, typed, "The spokesman said it.")
    row = _evidence(fresh, "the-spokesman-said-it")
    assert row["text"] == recorded  # the source's own words, which validation then finds
    assert TEXT[int(str(row["start"])) : int(str(row["end"]))] == recorded
    run_cli("validate", "--root", fresh)


def test_the_closest_passage_shows_exactly_the_shared_part(fresh: Path, run_cli: RunCli) -> None:
    out = _add(run_cli, fresh, "the bridge cost £3m", "The bridge cost £3m.", code=2)
    assert "[the bridge cost £]2m" in out


def test_seed_add_takes_a_plain_texts_title_line(tmp_path: Path, fresh: Path) -> None:
    meta = (fresh / "seeds" / "bridge.yaml").read_text("utf-8")
    assert "title: Council approves bridge budget" in meta


def test_a_first_line_that_is_a_sentence_is_no_title(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "d"
    run_cli("init", root)
    text = "The council met on Monday and approved the budget.\nMore.\n"
    add_text_seed(run_cli, root, text, name="notes.txt")
    (meta,) = (root / "seeds").glob("*.yaml")
    assert meta.name.startswith("notes-")


def test_seed_rm_and_rename_only_an_unused_seed(
    tmp_path: Path, fresh: Path, run_cli: RunCli
) -> None:
    add_text_seed(run_cli, fresh, "Another text\n\nNobody quotes it.\n", "--id", "other")
    run_cli("seed", "rename", "other", "spare", "--root", fresh)
    assert sorted(p.name for p in (fresh / "seeds").glob("spare*")) == ["spare.txt", "spare.yaml"]
    assert not list((fresh / "seeds").glob("other*"))
    run_cli("validate", "--root", fresh)
    run_cli("seed", "rm", "spare", "--root", fresh)
    assert not list((fresh / "seeds").glob("spare*"))

    _add(run_cli, fresh, "the bridge cost £2m", "The bridge cost £2m.")
    result = run_cli("seed", "rm", "bridge", "--root", fresh, code=2)
    assert "claims/the-bridge-cost-2m.yaml" in result.stderr
    result = run_cli("seed", "rename", "bridge", "b2", "--root", fresh, code=2)
    assert (fresh / "seeds" / "bridge.txt").is_file()
    run_cli("seed", "rm", "../claims/x", "--root", fresh, code=2)


def test_query_text_with_the_evidence_table_keeps_the_quotes_that_contain_it(
    dataset: Path, run_cli: RunCli
) -> None:
    result = run_cli("query", "--root", dataset, "--text", "espionnage", "--table", "evidence",
                     "--format", "json")  # fmt: skip
    rows = json.loads(result.stdout)
    assert rows
    assert all("espionnage" in (r["text"] + (r["translation_text"] or "")) for r in rows)
    every = json.loads(run_cli("query", "--root", dataset, "--table", "evidence",
                               "--format", "json").stdout)  # fmt: skip
    ids = {r["claim_id"] for r in rows}
    assert len(rows) < len([r for r in every if r["claim_id"] in ids])


def test_verify_seeds_names_the_external_text_that_differs(tmp_path: Path, run_cli: RunCli) -> None:
    repo = Path(__file__).resolve().parents[2]
    if not (repo / "seeds" / "000_41d59578b16f00ef.txt").is_file():
        pytest.skip("the archived article is not in this copy of claimtrack")
    texts = tmp_path / "texts"
    texts.mkdir()
    article = texts / "000_41d59578b16f00ef.txt"
    article.write_bytes((repo / "seeds" / article.name).read_bytes() + b"x")
    result = run_cli("verify", repo / "dataset" / "1.3.0", "--seeds", texts, code=1)
    assert f"{article}: seed `000_41d59578b16f00ef`" in result.stdout
    assert "dataset/1.3.0/000_41d59578b16f00ef.txt" not in result.stdout


def test_import_points_an_api_response_to_factcheck_api_and_lists_ids(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "d"
    run_cli("init", root)
    response = tmp_path / "search.json"
    response.write_text(json.dumps({"claims": [{
        "text": "The bridge cost £2m", "claimant": "Mayor",
        "claimReview": [{"publisher": {"name": "Checkers"}, "url": "https://c.example/a",
                         "reviewDate": "2024-03-05T00:00:00Z", "textualRating": "False"}]}]}),
        "utf-8")  # fmt: skip
    result = run_cli("import", "claimreview", response, "--into", root, code=2)
    assert "claimtrack import factcheck-api" in result.stderr
    assert not list((root / "claims").glob("*.yaml"))
    result = run_cli("import", "factcheck-api", response, "--into", root)
    (claim,) = (root / "claims").rglob("*.yaml")
    assert f"added {claim.stem}" in result.stdout
    help_text = run_cli("import", "--help").stdout
    assert all(name in help_text for name in ("liar", "averitec", "claimreview", "factcheck-api"))


def _commands() -> list[list[str]]:
    ctx = click.Context(cli)
    found: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return found


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "claimtrack")
def test_help_fits_80_columns(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    wide = [line for line in result.output.splitlines() if len(line) > 80]
    assert not wide, wide


def test_a_table_never_breaks_an_id() -> None:
    import polars as pl  # noqa: PLC0415 - only this test needs it

    long_id = "contract-value-gbp-500m-to-1bn-over-ten-years-and-then-some-more"
    frame = pl.DataFrame({"claim_id": [long_id], "status": ["reported"], "statement": ["x " * 60]})
    for width in (80, 120, 200):
        text = TableWriter().render(frame, width=width, color=False)
        assert long_id in text
        assert all(len(line) <= width for line in text.splitlines() if long_id not in line)


def test_show_piped_marks_the_quote_and_keeps_indents(dataset: Path, run_cli: RunCli) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "show", "agency-data-held-only-in-uk", "--root",
         str(dataset)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert any(">>" in line for line in lines) and any("<<" in line for line in lines)
    assert all(len(line) <= 80 for line in lines)
    inner = [line.strip("│").rstrip() for line in lines if line.startswith("│")]
    for above, line in itertools.pairwise(inner):
        if above.startswith("   ") and line.strip() and not line.startswith(" Status"):
            assert line.startswith("  ") or not above.strip(), (above, line)


def test_a_closed_pipe_stops_quietly(dataset: Path) -> None:
    script = (
        f"{sys.executable} -m claimtrack query --root {dataset} --table evidence --format csv "
        "| head -c 10 >/dev/null; echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() in {"0", "141"}
    assert "internal error" not in done.stderr


def test_the_changelog_counts_in_the_singular_and_files_seeds_as_added(
    tmp_path: Path, fresh: Path, run_cli: RunCli
) -> None:
    _add(run_cli, fresh, "the bridge cost £2m", "The bridge cost £2m.")
    publishable(fresh)
    committed(fresh)
    run_cli("release", "--root", fresh, "--version", "1.0.0")
    changelog = (fresh / "CHANGELOG.md").read_text("utf-8")
    assert "First release: 1 claim." in changelog
    add_text_seed(run_cli, fresh, "Another text\n\nIt is quoted.\n", "--id", "other",
                  "--redistribution", "full_text")  # fmt: skip
    run_cli("claim", "add", "--root", fresh, "--seed", "other", "--quote", "It is quoted.",
            "--statement", "It is quoted.", "--kind", "event", "--asserter", "X")  # fmt: skip
    committed(fresh)
    run_cli("release", "--root", fresh, "--version", "1.1.0")
    section = (fresh / "CHANGELOG.md").read_text("utf-8").split("## [1.1.0]")[1].split("## [")[0]
    added = section.split("### Dataset: Added")[1].split("###")[0]
    assert "Seed `other`" in added and "Claim `it-is-quoted`" in added
    assert "Changed" not in section
    card = (fresh / "dataset" / "1.0.0" / "README.md").read_text("utf-8")
    assert "1 claim from 1 archived source." in card


def test_dir_shows_the_public_names() -> None:
    names = dir(claimtrack)
    assert {"load", "load_tables", "Claim"} <= set(names)
    assert not {"Any", "importlib", "TYPE_CHECKING"} & set(names)


def test_show_of_an_invalid_claim_names_its_file_and_finding(fresh: Path, run_cli: RunCli) -> None:
    _add(run_cli, fresh, "the bridge cost £2m", "The bridge cost £2m.")
    claim = fresh / "claims" / "the-bridge-cost-2m.yaml"
    claim.write_text(claim.read_text("utf-8").replace("kind: event", "kind: evnt"), "utf-8")
    result = run_cli("show", "the-bridge-cost-2m", "--root", fresh, code=1)
    assert "the-bridge-cost-2m.yaml" in result.stderr
    assert "did you mean `event`?" in result.stderr
    assert "error: .:" not in result.stderr
