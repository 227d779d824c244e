"""What a new user following the README ran into, each fixed and kept fixed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import claimtrack
from claimtrack.cli.formats import TableWriter
from claimtrack.store import releases as store_releases
from claimtrack.tables.load import PackagedRelease

from ..conftest import REPO, RunCli


def test_a_missing_root_says_no_such_folder(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("validate", "--root", tmp_path / "missing", code=2)
    assert "no such folder" in result.stderr
    assert "no claims/ folder" not in result.stderr


def test_messages_have_no_double_spaces(dataset: Path, run_cli: RunCli) -> None:
    result = run_cli("query", "--root", dataset, "--columns", "nope", code=2)
    assert "unknown column `nope`" in result.stderr
    assert "  " not in result.stderr.splitlines()[0]


def test_sql_help_lists_every_table(run_cli: RunCli) -> None:
    help_text = " ".join(run_cli("query", "--help").stdout.split())
    for name in claimtrack.load_tables(REPO):
        assert name in help_text
    assert "external_ids" in help_text


def test_a_wide_query_fits_an_80_column_terminal(dataset: Path) -> None:
    tables = claimtrack.load_tables(dataset)
    evidence = tables["evidence"]
    text = TableWriter().render(evidence, width=80, color=False)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "-- record 1 --" in text and "translation_text" in text
    narrow = TableWriter().render(evidence.select("claim_id", "quote_id"), width=80, color=False)
    assert "-- record" not in narrow  # a table when it fits


def test_unknown_release_names_the_releases_that_exist() -> None:
    with pytest.raises(claimtrack.ClaimtrackError) as info:
        claimtrack.load(REPO, version="9.9.9")
    assert "1.0.0" in str(info.value) and "1.1.0" in str(info.value)


def test_stats_outside_a_dataset_reads_the_shipped_release_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    monkeypatch.setattr(store_releases, "PACKAGED", REPO / "dataset")
    monkeypatch.setattr(store_releases, "SOURCE_TREE", tmp_path / "none")
    monkeypatch.chdir(tmp_path)
    result = run_cli("stats", "--format", "csv")
    latest = max(store_releases.release_dirs(None), key=store_releases.Version.parse)
    assert f"reading release {latest} shipped with claimtrack" in result.stderr
    with pytest.warns(PackagedRelease, match="shipped with claimtrack"):
        claims = claimtrack.load()  # the library reads the same data, and warns it is not yours
    reported = claims.filter(claims["status"] == "reported").height
    assert f"status,reported,{reported}" in result.stdout.replace("\r", "")


def test_show_matches_the_exact_id_only(tmp_path: Path, dataset: Path, run_cli: RunCli) -> None:
    base = (dataset / "claims" / "aws-is-a-us-company.yaml").read_text("utf-8")
    for name in ("liar-1", "liar-10"):
        (dataset / "claims" / f"{name}.yaml").write_text(
            base.replace("id: aws-is-a-us-company", f"id: {name}"), "utf-8"
        )
    out = run_cli("show", "liar-1", "--root", dataset, "--format", "json").stdout
    assert '"id": "liar-1"' in out
    missing = run_cli("show", "liar-2", "--root", dataset, code=2).stderr
    assert "no claim `liar-2`" in missing and "did you mean" in missing
    run_cli("show", "../../etc/passwd", "--root", dataset, code=2)


def test_show_ignores_other_broken_files(dataset: Path, run_cli: RunCli) -> None:
    (dataset / "claims" / "broken.yaml").write_text("id: [", "utf-8")
    run_cli("show", "aws-is-a-us-company", "--root", dataset)


def test_release_date_is_checked_by_the_library(dataset: Path) -> None:
    from claimtrack.release.publish import release  # noqa: PLC0415
    from claimtrack.store.layout import Dataset  # noqa: PLC0415

    for bad in ("2021-02-30", "2021-2-3", "9999-01-01"):
        with pytest.raises(claimtrack.ClaimtrackError):
            release(Dataset.open(dataset), version="1.0.0", date=bad, changelog=False)
    assert not (dataset / "dataset" / "1.0.0").exists()


def test_the_readme_says_which_commands_take_root(run_cli: RunCli) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "Every command takes `--root" not in readme
    assert "--root" not in run_cli("docs", "--help").stdout


def test_architecture_doc_names_every_module() -> None:
    text = (REPO / "docs" / "architecture.md").read_text("utf-8")
    src = REPO / "src" / "claimtrack"
    for package in ("model", "store", "validate", "tables", "release", "interop", "cli"):
        modules = [p.stem for p in (src / package).glob("*.py") if p.stem != "__init__"]
        for module in modules:
            assert re.search(rf"`{module}`", text), f"{package}/{module}.py is not described"


_SHOW_WITHOUT_POLARS = """
import sys
from claimtrack.cli import app
sys.argv = ["claimtrack", "show", sys.argv[1], "--root", sys.argv[2], "--format", "json"]
try:
    app.main()
except SystemExit as done:
    assert not done.code, done.code
assert "polars" not in sys.modules, "show imported Polars"
"""


def test_show_reads_one_claim_without_importing_the_tables(tmp_path: Path) -> None:
    """`show` checks one file: Polars (a fifth of its start-up) is never imported."""
    claim = "contract-value-gbp-500m-to-1bn-over-ten-years"
    done = subprocess.run(
        [sys.executable, "-c", _SHOW_WITHOUT_POLARS, claim, str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CLAIMTRACK_CACHE_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert f'"id": "{claim}"' in done.stdout


_QUERY_WITHOUT_PYARROW = """
import sys
from claimtrack.cli import app
sys.argv = ["claimtrack", *sys.argv[2:], "--root", sys.argv[1], "--format", "json"]
try:
    app.main()
except SystemExit as done:
    assert not done.code, done.code
assert "pyarrow" not in sys.modules, "imported pyarrow"
"""


@pytest.mark.parametrize("command", [["query", "--limit", "1"], ["stats"]])
def test_query_and_stats_of_stored_tables_do_not_import_pyarrow(
    dataset: Path, tmp_path: Path, command: list[str]
) -> None:
    """Reading the stored tables needs Polars only: pyarrow (and numpy), a third of the start
    of `query` and `stats`, is imported only for `--sql` or a remote release."""
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(tmp_path)}
    validated = subprocess.run(
        [sys.executable, "-m", "claimtrack", "validate", "--root", str(dataset)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert validated.returncode == 0, validated.stderr
    done = subprocess.run(
        [sys.executable, "-c", _QUERY_WITHOUT_PYARROW, str(dataset), *command],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "contract-value" in done.stdout or "status" in done.stdout
