"""The hostile-input review, item by item: each attack it found, refused or bounded.

The section headings number the items of the review; SECURITY.md cites these tests by name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import claimtrack
from claimtrack.cli.formats import WRITERS
from claimtrack.exc import QueryError
from claimtrack.release.verify import verify
from claimtrack.store.layout import Dataset
from claimtrack.tables.sql import sql
from claimtrack.validate.runner import validate

from ..conftest import REPO, RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
SEED = "000_41d59578b16f00ef"
INJECTED = "x\n::error file=.github/workflows/evil.yml,line=1::INJECTED"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        check=False,
    )


# ---------------------------------------------------------------- 1, 2: SQL


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM \"read_csv\"('/etc/passwd')",
        "SELECT * FROM `read_csv`('/etc/passwd')",
        "SELECT * FROM 'read_csv'('/etc/passwd')",
        "SELECT * FROM read_csv/**/('/etc/passwd')",
        "WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM x",
        "SELECT * FROM read_parquet('/etc/passwd')",
        "SELECT * FROM read_ipc('/etc/passwd')",
        "SELECT * FROM read_json('/etc/passwd')",
        "SELECT * FROM read_ndjson('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM glob('/etc/*')",
        "ATTACH '/tmp/x.db'",
        "COPY claims TO '/tmp/claimtrack-out.csv'",
        "SET memory_limit = '100GB'",
        "INSTALL httpfs",
        "DROP TABLE claims",
        "SELECT 1; SELECT * FROM read_csv('/etc/passwd')",
    ],
)
def test_sql_reads_no_file_in_any_spelling(query: str, run_cli: RunCli) -> None:
    result = run_cli("query", "--root", REPO, "--sql", query, "--format", "csv", code=2)
    assert "root:" not in result.stdout and "root:" not in result.stderr
    assert "error:" in result.stderr
    assert not Path("/tmp/claimtrack-out.csv").exists()


def test_sql_result_over_the_memory_budget_is_refused(run_cli: RunCli) -> None:
    query = "SELECT * FROM claims a, claims b, claims c, claims d, evidence e"
    result = run_cli("query", "--root", REPO, "--sql", query, "--memory-limit", "64", code=2)
    assert "memory budget of 64 MiB" in result.stderr


def test_sql_timeout_stops_the_query_itself() -> None:
    tables = claimtrack.load_tables(REPO)
    before = threading.active_count()
    start = time.monotonic()
    with pytest.raises(QueryError, match="was stopped"):
        sql(
            tables,
            "SELECT sum(a.range * b.range) FROM range(400000000) a, range(50) b",
            timeout=0.5,
        )
    assert time.monotonic() - start < 20
    assert threading.active_count() == before  # nothing left running in the background


def test_a_link_named_like_the_in_memory_database_reads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", "utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ":memory:").symlink_to(secret)
    tables = claimtrack.load_tables(REPO)
    for query in ("SELECT * FROM read_text(':memory:')", f"SELECT * FROM read_text('{secret}')"):
        with pytest.raises(QueryError, match="cannot read files"):
            sql(tables, query)


def test_a_function_allocating_outside_the_engine_is_bounded() -> None:
    tables = claimtrack.load_tables(REPO)
    start = time.monotonic()
    with pytest.raises(QueryError, match="memory budget of 256 MiB"):
        sql(tables, "SELECT length(repeat('x', 1500000000)) AS n", memory_mib=256)
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_a_timeout_that_is_not_a_number_of_seconds(value: str, run_cli: RunCli) -> None:
    run_cli("query", "--root", REPO, "--sql", "SELECT 1 AS x", "--timeout", value, code=2)


def test_repeated_column_names_print(run_cli: RunCli) -> None:
    query = "SELECT * FROM claims JOIN evidence ON claims.claim_id = evidence.claim_id LIMIT 1"
    header = run_cli("query", "--root", REPO, "--sql", query, "--format", "csv").stdout
    assert "claim_id_2" in header.splitlines()[0]


def test_a_query_that_is_not_unicode_is_a_usage_error() -> None:
    with pytest.raises(QueryError, match="not valid Unicode"):
        sql(claimtrack.load_tables(REPO), "SELECT '\ud800'")


# ---------------------------------------------------------------- 3: links out of the dataset


@pytest.mark.parametrize("folder", ["claims", "seeds"])
def test_a_linked_record_folder_is_refused(
    folder: str, dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    outside = tmp_path / "outside"
    shutil.move(dataset / folder, outside)
    (outside / "credentials.yaml").write_text('schema_version: "db-password=hunter2"\n')
    (dataset / folder).symlink_to(outside)
    result = run_cli("validate", "--root", dataset, "--format", "github", code=2)
    assert "symbolic link" in result.stderr
    assert "hunter2" not in result.output


# ---------------------------------------------------------------- 4: output injection


def test_findings_cannot_start_a_ci_command(dataset: Path, run_cli: RunCli) -> None:
    _edit(dataset / "claims" / f"{VALUE}.yaml", "kind: quantity", f"kind: {json.dumps(INJECTED)}")
    for fmt in ("text", "junit", "github"):
        out = run_cli("validate", "--root", dataset, "--format", fmt, code=1).stdout
        assert "INJECTED" in out
        assert not [line for line in out.splitlines() if line.startswith("::error file=.github")]


def test_job_summary_stays_one_table(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text() + '"key\\nwith | break": 1\n', "utf-8")
    _edit(claim, "kind: quantity", 'kind: "a\\rb|c"')
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("validate", "--root", dataset, "--format", "github", code=1)
    rows = summary.read_text().split("\n\n", 2)[-1].strip().splitlines()
    assert len(rows) >= 4
    assert all(row.startswith("|") and row.endswith("|") for row in rows)
    assert "\r" not in summary.read_text()
    assert all(row.count(" | ") == 5 for row in rows[2:])


def test_terminal_sequences_and_markup_are_shown_not_run(dataset: Path, run_cli: RunCli) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    hostile = "\x1b[2J\x1b]0;owned\x07[bold]not bold[/bold] \x1b]8;;http://evil\x1b\\link"
    text = claim.read_text("utf-8")
    start = text.index("statement:")
    end = text.index("\n", start)
    claim.write_text(text[:start] + f"statement: {json.dumps(hostile)}" + text[end:], "utf-8")
    shown = run_cli("show", VALUE, "--root", dataset).stdout
    table = run_cli("query", "--root", dataset, "--columns", "claim_id,statement").stdout
    for out in (shown, table):
        assert "\x1b" not in out and "\x07" not in out
        assert "\\x1b[2J" in out
    assert "[bold]not bold[/bold]" in shown


HOSTILE = "x\x1b[31m\u202e\x9b\x07\n::error file=.github/x::INJECTED"
RAW_CONTROLS = ("\x1b", "\u202e", "\x9b", "\x07")


def _set_statement(dataset: Path, value: str) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    start = text.index("statement:")
    end = text.index("\n", start)
    claim.write_text(text[:start] + f"statement: {json.dumps(value)}" + text[end:], "utf-8")


def _printed_safely(out: str) -> None:
    assert not [c for c in RAW_CONTROLS if c in out]
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::error file=.gi")]


def test_printed_rows_hold_no_control_characters(dataset: Path, run_cli: RunCli) -> None:
    _set_statement(dataset, HOSTILE)
    for fmt in ("table", "csv", "json", "ndjson"):
        rows = run_cli("query", "--root", dataset, "--format", fmt, "--columns", "statement")
        _printed_safely(rows.stdout)
    exports = [run_cli("export", kind, "--root", dataset).stdout for kind in ("csv", "claimreview")]
    shown = run_cli("show", VALUE, "--root", dataset, "--format", "json").stdout
    for out in [*exports, shown]:
        _printed_safely(out)
    assert json.loads(shown)["statement"] == HOSTILE  # JSON escapes keep the exact value
    listed = run_cli("query", "--root", dataset, "--format", "json", "--columns", "statement")
    assert HOSTILE in [row["statement"] for row in json.loads(listed.stdout)]


def test_raw_csv_is_byte_for_byte_even_when_piped(dataset: Path) -> None:
    _set_statement(dataset, HOSTILE)
    for args in (["query", "--format", "csv", "--columns", "statement"], ["export", "csv"]):
        out = _cli(*args, "--root", dataset, "--raw")
        assert out.returncode == 0, out.stderr
        assert HOSTILE in pl.read_csv(out.stdout.encode())["statement"].to_list()


def test_ci_annotations_show_control_characters(dataset: Path, run_cli: RunCli) -> None:
    _edit(dataset / "claims" / f"{VALUE}.yaml", "kind: quantity", f"kind: {json.dumps(HOSTILE)}")
    for fmt in ("github", "text", "junit", "sarif", "json"):
        _printed_safely(run_cli("validate", "--root", dataset, "--format", fmt, code=1).stdout)


# ---------------------------------------------------------------- 5: spreadsheet formulas


@pytest.mark.parametrize("formula", ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|x", "+1+1", "-2+3"])
def test_csv_for_spreadsheets_guards_formulas(
    formula: str, dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    start = text.index("statement:")
    end = text.index("\n", start)
    claim.write_text(text[:start] + f"statement: {json.dumps(formula)}" + text[end:], "utf-8")
    exported = run_cli("export", "csv", "--root", dataset).stdout
    queried = run_cli("query", "--root", dataset, "--format", "csv").stdout
    run_cli("query", "--root", dataset, "-o", tmp_path / "out.csv")
    written = (tmp_path / "out.csv").read_text("utf-8")
    for out in (exported, queried, written):
        cells = pl.read_csv(out.encode())["statement"].to_list()
        assert "'" + formula in cells and formula not in cells
    raw = run_cli("export", "csv", "--root", dataset, "--raw").stdout
    assert formula in pl.read_csv(raw.encode())["statement"].to_list()
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    released = pl.read_csv(dataset / "dataset" / "1.0.0" / "claims.csv")["statement"].to_list()
    assert formula in released  # release CSVs are data for parsers: byte-faithful
    assert "Import them into a spreadsheet as text" in (
        dataset / "dataset" / "1.0.0" / "README.md"
    ).read_text("utf-8")


# ---------------------------------------------------------------- 6: file modes


def test_written_files_follow_the_umask(dataset: Path, tmp_path: Path, run_cli: RunCli) -> None:
    old = os.umask(0o022)
    try:
        changelog = dataset / "CHANGELOG.md"
        changelog.write_text("# Changelog\n\n## [Unreleased]\n", "utf-8")
        changelog.chmod(0o644)
        run_cli("release", "--root", dataset, "--version", "1.0.0")
        run_cli("init", tmp_path / "new")
        run_cli("export", "csv", "--root", dataset, "-o", tmp_path / "out.csv")
        modes = {
            "CHANGELOG.md": changelog,
            "README of init": tmp_path / "new" / "README.md",
            "schema of init": tmp_path / "new" / "schemas" / "claim.schema.json",
            "export": tmp_path / "out.csv",
        }
        for what, path in modes.items():
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, what
    finally:
        os.umask(old)


# ---------------------------------------------------------------- 7, 9: sizes before reading


def test_a_huge_record_file_is_refused_before_it_is_read(dataset: Path) -> None:
    with (dataset / "claims" / "huge.yaml").open("wb") as handle:
        handle.truncate(4 << 30)  # 4 GiB, sparse
    with (dataset / "seeds" / f"{SEED}.txt").open("r+b") as handle:
        handle.truncate(4 << 30)
    tracemalloc.start()
    report = validate(Dataset.open(dataset), records=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rules = {f.rule for f in report.findings}
    assert {"file.too-large", "seed.too-large"} <= rules
    assert peak < 200 << 20


def test_a_seed_over_the_limit_is_a_finding(dataset: Path, run_cli: RunCli) -> None:
    text = dataset / "seeds" / f"{SEED}.txt"
    text.write_bytes(text.read_bytes() + b" " * (64 << 20))
    result = run_cli("validate", "--root", dataset, code=1)
    assert "[seed.too-large]" in result.stdout


# ---------------------------------------------------------------- 8: many keys


def test_many_unknown_keys_give_a_bounded_report(dataset: Path) -> None:
    lines = ["schema_version: '1.0'"] + [f"k{i}: 1" for i in range(40_000)]
    (dataset / "claims" / "keys.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    report = validate(Dataset.open(dataset), [dataset / "claims" / "keys.yaml"])
    assert len(report.findings) == 101
    assert report.findings[0].rule in ("schema.unknown-field", "file.too-many-findings")
    assert any(f.rule == "file.too-many-findings" for f in report.findings)


# ---------------------------------------------------------------- 10: search terms


@pytest.mark.parametrize("option", ["--text", "--subject", "--attributed-to"])
@pytest.mark.parametrize("size", [1_000, 100_000])
def test_long_search_terms_are_refused(option: str, size: int, run_cli: RunCli) -> None:
    result = run_cli("query", "--root", REPO, option, "é" * size, code=2)
    assert "longer than 200" in result.stderr
    assert len(result.stderr) < 1_000


def test_regex_characters_in_a_search_are_literal(run_cli: RunCli) -> None:
    run_cli("query", "--root", REPO, "--text", "(((((", code=1)


# ---------------------------------------------------------------- 11: unreadable


def _without_dac(*args: str | Path) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("needs setpriv to drop CAP_DAC_OVERRIDE as root")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "claimtrack", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_unreadable_seed_text_is_a_finding(dataset: Path) -> None:
    (dataset / "seeds" / f"{SEED}.txt").chmod(0)
    done = _without_dac("validate", "--root", dataset, "--no-cache")
    assert done.returncode == 1, done.stderr
    assert "[seed.unreadable]" in done.stdout


def test_an_unreadable_claims_folder_is_an_input_error(dataset: Path) -> None:
    (dataset / "claims").chmod(0)
    try:
        done = _without_dac("validate", "--root", dataset, "--no-cache", "--format", "json")
    finally:
        (dataset / "claims").chmod(0o755)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot list the folder" in done.stderr
    assert '"valid": true' not in done.stdout


# ---------------------------------------------------------------- 12: file names


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "junit"])
def test_a_file_name_that_is_not_utf8(fmt: str, dataset: Path) -> None:
    name = Path(os.fsdecode(os.fsencode(dataset / "claims") + b"/\xff\xfe.yaml"))
    with name.open("wb") as handle:
        handle.write((dataset / "claims" / f"{VALUE}.yaml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "validate", "--root", str(dataset), "--format", fmt],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode("utf-8")  # valid UTF-8
    if fmt in ("json", "sarif"):
        body = json.dumps(json.loads(out))
        assert "\\\\xff\\\\xfe.yaml" in body
    else:
        assert "\\xff\\xfe.yaml" in out


def test_a_file_name_that_is_not_utf8_in_stored_tables(dataset: Path, tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert _cli("query", "--root", dataset, env=env).returncode == 0  # tables stored
    bad = Path(os.fsdecode(os.fsencode(dataset / "claims") + b"/\xff.yaml"))
    bad.write_bytes((dataset / "claims" / f"{VALUE}.yaml").read_bytes())
    for args in (["query"], ["stats"], ["query"]):
        done = _cli(*args, "--root", dataset, env=env)
        assert done.returncode == 1, done.stderr
        assert "\\xff.yaml" in done.stderr


# ---------------------------------------------------------------- 13: result types


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "ndjson"])
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("SELECT x'ff' AS b", "FF"),
        ("SELECT DATE '2021-01-02' - DATE '2021-01-01' AS days", "1"),
        ("SELECT INTERVAL 3 DAY AS i", "3 days"),
        ("SELECT {'a': 1} AS s", "a"),
        ("SELECT 'infinity'::DATE AS d", "infinity"),
        ("SELECT '-infinity'::TIMESTAMP AS t", "infinity"),
        ("SELECT DATE '9999-12-31' + 5 AS d", "10000"),
        ("SELECT [['nested']] AS x", "nested"),
        ("SELECT [DATE '2021-01-02'] AS x", "2021-01-02"),
    ],
)
def test_any_sql_result_type_prints(fmt: str, query: str, shown: str, run_cli: RunCli) -> None:
    out = run_cli("query", "--root", REPO, "--sql", query, "--format", fmt).stdout
    assert shown in out


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writers_print_binary_and_durations(name: str) -> None:
    frame = pl.DataFrame({"b": [b"\xff\x00"], "d": pl.Series([1_000_000], dtype=pl.Duration("us"))})
    text = WRITERS[name]().render(frame, width=80, color=False)
    assert "ff00" in text
    assert "PT1S" in text


# ---------------------------------------------------------------- 14: damaged cache


def _cache_db(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "validate.sqlite3"


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE files SET record = '{\"garbage\": 1}' WHERE record IS NOT NULL",
        'UPDATE files SET findings = \'[["1", 1, "", "x", "error", "m", "h"]]\'',
        "UPDATE cross SET seeds = '5'",
        "UPDATE cross SET seeds = '[[1]]'",
        "UPDATE cross SET findings = '{}'",
        "UPDATE files SET valid = 'yes'",
    ],
)
def test_damaged_cache_entries_are_ignored(damage: str, dataset: Path, tmp_path: Path) -> None:
    env = {"CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache")}
    cold = _cli("query", "--root", dataset, "--format", "csv", env=env)
    assert cold.returncode == 0, cold.stderr
    with sqlite3.connect(_cache_db(tmp_path)) as db:
        db.execute(damage)
    for args in (("validate",), ("query", "--format", "csv"), ("show", VALUE)):
        done = _cli(*args, "--root", dataset, env=env)
        assert done.returncode == 0, (args, done.stderr)
    again = _cli("query", "--root", dataset, "--format", "csv", env=env)
    assert again.stdout == cold.stdout


def test_a_flipped_byte_in_the_cache_is_ignored(dataset: Path, tmp_path: Path) -> None:
    env = {"CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache")}
    assert _cli("validate", "--root", dataset, env=env).returncode == 0
    db = _cache_db(tmp_path)
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    for offset in range(200, len(data), 997):
        data[offset] ^= 0xFF
    db.write_bytes(bytes(data))
    for args in (("validate",), ("query", "--format", "csv")):
        done = _cli(*args, "--root", dataset, env=env)
        assert done.returncode == 0, (args, done.stderr)


# ---------------------------------------------------------------- 15: versions


@pytest.mark.parametrize("version", ["1." + "9" * 300 + ".0", "1" * 5000 + ".0.0", "2٣.0.0"])
def test_strange_versions_are_usage_errors(version: str, dataset: Path, run_cli: RunCli) -> None:
    result = run_cli("release", "--root", dataset, "--version", version, code=2)
    assert "is not a version X.Y.Z" in result.stderr
    assert len(result.stderr) < 1_000
    assert not (dataset / "dataset").exists() or not list((dataset / "dataset").iterdir())[1:]


# ---------------------------------------------------------------- 17: verify


@pytest.fixture
def released(dataset: Path, run_cli: RunCli) -> Path:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    return dataset / "dataset" / "1.0.0"


def _manifest(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return data


def _write_manifest(folder: Path, data: dict[str, Any]) -> None:
    (folder / "manifest.json").write_text(json.dumps(data, indent=2), "utf-8")


def _rehash(folder: Path, name: str) -> None:
    data = _manifest(folder)
    raw = (folder / name).read_bytes()
    for entry in data["files"]:
        if entry["path"] == name:
            entry.update(bytes=len(raw), sha256=hashlib.sha256(raw).hexdigest())
    _write_manifest(folder, data)


MANIFEST_EDITS = {
    "version": lambda m: m.update(version="1.0.1"),
    "release date": lambda m: m.update(release_date="2020-01-01"),
    "source commit": lambda m: m.update(source_commit="0" * 40),
    "schema version": lambda m: m.update(schema_version="9.9"),
    "column type": lambda m: m["tables"]["claims"]["columns"][0].update(type="Int64"),
    "no claims table": lambda m: m["tables"].pop("claims"),
    "table as absolute path": lambda m: m["tables"].update({"/tmp/x": m["tables"]["claims"]}),
    "table as relative path": lambda m: m["tables"].update(
        {"../../../../tmp/x": m["tables"]["claims"]}
    ),
    "NUL in a path": lambda m: m["files"][0].update(path="claims\x00.csv"),
    "huge bytes": lambda m: m["files"][0].update(bytes=10**400),
}


@pytest.mark.parametrize("edit", sorted(MANIFEST_EDITS))
def test_manifest_edits_are_found(edit: str, released: Path, run_cli: RunCli) -> None:
    data = _manifest(released)
    MANIFEST_EDITS[edit](data)
    _write_manifest(released, data)
    assert verify(released) != []
    result = run_cli("verify", "1.0.0", "--root", released.parents[1], code=1)
    assert "not intact" in result.stderr


def test_non_numbers_in_the_manifest_are_found(released: Path) -> None:
    text = (released / "manifest.json").read_text("utf-8")
    (released / "manifest.json").write_text(text.replace('"bytes": ', '"bytes": 1e400, "x": ', 1))
    assert verify(released) != []


def test_a_removed_file_with_its_entry_is_found(released: Path) -> None:
    (released / "claims.csv").unlink()
    data = _manifest(released)
    data["files"] = [e for e in data["files"] if e["path"] != "claims.csv"]
    _write_manifest(released, data)
    assert [p.path for p in verify(released)] == ["claims.csv"]


@pytest.mark.parametrize("extra", ["empty folder", "fifo", "link to /etc", "link to a file"])
def test_extra_entries_are_found_and_never_followed(extra: str, released: Path) -> None:
    target = released / "extra"
    if extra == "empty folder":
        target.mkdir()
    elif extra == "fifo":
        os.mkfifo(target)
    elif extra == "link to /etc":
        target.symlink_to("/etc")
    else:
        target.symlink_to(released / "claims.csv")
    problems = verify(released)
    assert [p.path for p in problems] == ["extra"]


def test_a_garbage_table_with_a_matching_hash_is_found(released: Path) -> None:
    (released / "claims.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    _rehash(released, "claims.parquet")
    problems = verify(released)
    assert [p.path for p in problems] == ["claims.parquet"]
    assert "not a readable Parquet file" in problems[0].message


def test_a_deeply_nested_manifest_breaks_nothing(released: Path, run_cli: RunCli) -> None:
    (released / "manifest.json").write_text("[" * 100_000, "utf-8")
    assert verify(released) != []
    root = released.parents[1]
    run_cli("verify", "1.0.0", "--root", root, code=1)
    run_cli("diff", "1.0.0", "--root", root, code=2)
    run_cli("release", "--root", root, "--version", "2.0.0", "--no-changelog", code=2)
    with pytest.raises(claimtrack.ClaimtrackError):
        claimtrack.load(root, version="1.0.0")


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda text: text.replace('"tables"', '"tablez"', 1), "Field required"),
        (lambda text: text.replace('"rows": ', '"rows": NaN, "x": ', 1), "NaN"),
        (lambda text: text.replace('"tables": {', '"tables": "x", "t": {', 1), "at tables"),
        (lambda text: text.rstrip()[:-1], "JSON"),  # the end cut off, far from `tables`
        (lambda text: text.replace("{", '{"tables": {},', 1), "not read the same twice"),
    ],
    ids=["no-tables", "nan-in-tables", "tables-not-an-object", "cut-short", "two-tables"],
)
def test_loading_a_release_reads_only_a_sound_manifest(
    released: Path, damage: Callable[[str], str], said: str
) -> None:
    """`load(version=...)` builds only the manifest's `tables`, but the whole text must still be
    JSON and `tables` an object without NaN or Infinity."""
    text = (released / "manifest.json").read_text("utf-8")
    (released / "manifest.json").write_text(damage(text), "utf-8")
    with pytest.raises(claimtrack.ClaimtrackError, match=said):
        claimtrack.load(released.parents[1], version="1.0.0")


def test_tables_far_from_the_top_of_the_manifest_are_read(released: Path) -> None:
    """`tables` is looked for at the top of the manifest first, then further down."""
    before = claimtrack.load(released.parents[1], version="1.0.0")
    text = (released / "manifest.json").read_text("utf-8")
    padded = text.replace("{", '{"padding": "' + "é" * 200_000 + '", ', 1)
    (released / "manifest.json").write_text(padded, "utf-8")
    assert_frame_equal(claimtrack.load(released.parents[1], version="1.0.0"), before)
