"""claimtrack query, show and stats: the everyday questions in one command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from claimtrack.model.text import fold

from ..conftest import REPO, RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"


def ids(stdout: str) -> set[str]:
    return {row["claim_id"] for row in json.loads(stdout)}


def test_unconfirmed_claims_and_who_reported_them(run_cli: RunCli) -> None:
    out = run_cli(
        "query",
        "--root",
        REPO,
        "--status",
        "reported",
        "--columns",
        "claim_id,asserted_by",
        "--format",
        "json",
    ).stdout
    rows = json.loads(out)
    assert {r["claim_id"] for r in rows} >= {VALUE, "agency-data-held-only-in-uk"}
    assert "uk-government-technology-security-top-priority" not in {r["claim_id"] for r in rows}
    assert set(rows[0]) == {"claim_id", "asserted_by"}


def test_attributed_to_matches_any_link_ignoring_case(run_cli: RunCli) -> None:
    out = run_cli(
        "query", "--root", REPO, "--attributed-to", "financial TIMES", "--format", "json"
    ).stdout
    assert VALUE in ids(out)
    sources = run_cli(
        "query", "--root", REPO, "--attributed-to", "proches du dossier", "--format", "json"
    ).stdout
    assert ids(sources) == {
        "agency-data-held-only-in-uk",
        "amazon-no-access-to-agency-data",
        "aws-is-a-us-company",
    }


def test_text_search_ignores_accents_and_case_in_both_languages(run_cli: RunCli) -> None:
    french = run_cli(
        "query", "--root", REPO, "--text", "DONNEES SENSIBLES", "--format", "json"
    ).stdout
    assert ids(french) == {"agency-data-on-highly-secure-cloud-platform"}
    english = run_cli("query", "--root", REPO, "--text", "field sites", "--format", "json").stdout
    assert ids(english) == {"contract-purpose-sharing-data-from-field-sites"}
    assert fold("Élevées") == "elevees"


def test_kind_subject_tag_and_dates(run_cli: RunCli) -> None:
    out = run_cli(
        "query",
        "--root",
        REPO,
        "--kind",
        "quantity",
        "--subject",
        "gchq",
        "--tag",
        "aws-uk-intelligence-contract",
        "--since",
        "2021-10-01",
        "--until",
        "2021-10-31",
        "--format",
        "json",
    ).stdout
    assert ids(out) == {VALUE}
    run_cli("query", "--root", REPO, "--since", "2022-01-01", code=1)


def test_other_tables_keep_rows_of_matching_claims(run_cli: RunCli) -> None:
    out = run_cli(
        "query",
        "--root",
        REPO,
        "--kind",
        "quantity",
        "--table",
        "responses",
        "--format",
        "csv",
        "--columns",
        "claim_id,party,response",
    ).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "claim_id,party,response"
    assert f"{VALUE},Amazon,not_confirmed" in lines


def test_sort_limit_and_csv_lists(run_cli: RunCli) -> None:
    out = run_cli(
        "query",
        "--root",
        REPO,
        "--sort",
        "claim_id",
        "--desc",
        "--limit",
        "2",
        "--columns",
        "claim_id,subjects",
        "--format",
        "csv",
    ).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("uk-government-used-private-sector-tech-for-decades,")
    assert "; " not in lines[1] or lines[1].count(",") == 1


def test_sql_over_named_tables(run_cli: RunCli) -> None:
    out = run_cli(
        "query",
        "--root",
        REPO,
        "--sql",
        "SELECT c.claim_id, count(*) AS quotes FROM claims c JOIN evidence e "
        "ON c.claim_id = e.claim_id GROUP BY c.claim_id ORDER BY quotes DESC LIMIT 1",
        "--format",
        "json",
    ).stdout
    assert json.loads(out) == [{"claim_id": VALUE, "quotes": 6}]


def test_sql_cannot_read_files(run_cli: RunCli) -> None:
    result = run_cli(
        "query", "--root", REPO, "--sql", "SELECT * FROM read_csv('/etc/passwd')", code=2
    )
    assert "cannot read files" in result.stderr
    assert "root:" not in result.stdout


def test_bad_sql_and_unknown_column_are_usage_errors(run_cli: RunCli) -> None:
    bad = run_cli("query", "--root", REPO, "--sql", "SELECT FROM WHERE", code=2)
    assert "does not parse" in bad.stderr
    unknown = run_cli("query", "--root", REPO, "--columns", "claim_id,statment", code=2)
    assert "did you mean `statement`" in unknown.stderr


def test_no_rows_exits_1_with_a_message(run_cli: RunCli) -> None:
    result = run_cli("query", "--root", REPO, "--status", "refuted", code=1)
    assert "no rows match" in result.stderr


def test_output_files_by_extension(tmp_path: Path, run_cli: RunCli) -> None:
    for name in ("out.parquet", "out.csv", "out.json", "out.ndjson"):
        run_cli("query", "--root", REPO, "--kind", "quantity", "-o", tmp_path / name)
    frame = pl.read_parquet(tmp_path / "out.parquet")
    assert frame["claim_id"].to_list() == [VALUE]
    assert isinstance(frame.schema["status"], pl.Enum)
    assert len((tmp_path / "out.ndjson").read_text().splitlines()) == 1
    run_cli("query", "--root", REPO, "-o", tmp_path / "out.xlsx", code=2)


def test_table_format_fits_the_terminal(run_cli: RunCli) -> None:
    out = run_cli("query", "--root", REPO, "--columns", "claim_id,statement").stdout
    assert "claim_id" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_invalid_dataset_exits_1(dataset: Path, run_cli: RunCli) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    result = run_cli("query", "--root", dataset, code=1)
    assert "claimtrack validate" in result.stderr


def test_show_card(run_cli: RunCli) -> None:
    out = run_cli("show", VALUE, "--root", REPO).stdout
    assert "GBP 500,000,000 – 1,000,000,000 over P10Y (estimate)" in out
    assert "Amazon: not_confirmed" in out
    assert "translation (en, machine)" in out
    assert "2021-10-27" in out


def test_show_json_and_unknown_id(run_cli: RunCli) -> None:
    body = json.loads(run_cli("show", VALUE, "--root", REPO, "--format", "json").stdout)
    assert body["value"]["min"] == "500000000"
    result = run_cli("show", "contract-value", "--root", REPO, code=2)
    assert "did you mean" in result.stderr and VALUE in result.stderr


def test_stats(run_cli: RunCli) -> None:
    rows = json.loads(run_cli("stats", "--root", REPO, "--format", "json").stdout)
    status = {r["value"]: r["count"] for r in rows if r["dimension"] == "status"}
    assert status == {"reported": 12, "not_checkable": 1}
    seeds = [r for r in rows if r["dimension"] == "quotes_per_seed"]
    assert seeds == [
        {"dimension": "quotes_per_seed", "value": "000_41d59578b16f00ef", "count": 43, "others": 0}
    ]


@pytest.mark.parametrize("fmt", ["json", "csv", "ndjson"])
def test_stats_shows_the_top_values_and_counts_the_rest(run_cli: RunCli, fmt: str) -> None:
    def kinds(*args: str) -> list[dict[str, Any]]:
        out = run_cli("stats", "--root", REPO, "--format", "json", *args).stdout
        return [r for r in json.loads(out) if r["dimension"] == "kind"]

    every = kinds("--all")
    assert len(every) == 8 and all(r["others"] == 0 for r in every)
    top = kinds("--top", "2")
    assert top[:2] == every[:2]  # the most frequent first
    assert top[2] == {"dimension": "kind", "value": None, "count": 8, "others": 6}
    assert sum(r["count"] for r in top) == sum(r["count"] for r in every) == 13
    assert kinds() == every  # 8 values: within the default top 10
    # every format says the same (the rest's value empty)
    text = run_cli("stats", "--root", REPO, "--top", "2", "--format", fmt).stdout
    if fmt == "csv":
        assert "kind,,8,6" in text.splitlines()
    else:
        rows = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        assert {"dimension": "kind", "value": None, "count": 8, "others": 6} in rows
