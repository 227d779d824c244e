"""Hostile and broken input: nothing crashes, hangs, leaks or is lost.

Property-based tests (hypothesis) mutate valid claims and raw bytes; whatever comes in, the
validator returns findings and never raises. Inputs that once broke something are kept in
tests/fuzz_corpus/ as regression cases.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack
from claimtrack.model.jsonschema import CLAIM_SCHEMA, render
from claimtrack.model.records import Claim
from claimtrack.release import publish
from claimtrack.release.verify import verify
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.yaml_read import load_bytes
from claimtrack.store.yaml_write import to_yaml
from claimtrack.validate.per_file import check_file
from claimtrack.validate.runner import validate

from ..conftest import REPO, TESTS, RunCli

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
CLAIM_FILES = sorted((REPO / "claims").glob("*.yaml"))
BASE = (REPO / "claims" / f"{VALUE}.yaml").read_bytes()
BASE_DATA: dict[str, Any] = yaml.safe_load(BASE)
SCHEMA = render(CLAIM_SCHEMA)
CORPUS = sorted((TESTS / "fuzz_corpus").glob("*"))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_bytes(tmp: Path, raw: bytes, name: str = f"{VALUE}.yaml") -> list[str]:
    path = tmp / name
    path.write_bytes(raw)
    result = check_file(DataFile(path, "claim", name), SCHEMA)
    assert result.valid == (not result.findings)
    assert all(f.message and f.rule for f in result.findings)
    return [f.rule for f in result.findings]


# ---------------------------------------------------------------- files and names


def test_very_large_file(tmp_path: Path) -> None:
    raw = BASE + b"notes: '" + b"x" * (1 << 20) + b"'\n"
    assert check_bytes(tmp_path, raw) == ["file.too-large"]


@pytest.mark.parametrize("name", ["my claim.yaml", "revendication-é.yaml", "ÜBER.yaml"])
def test_odd_file_names_are_reported_not_crashed_on(tmp_path: Path, name: str) -> None:
    rules = check_bytes(tmp_path, BASE, name)
    assert rules == ["id.file-name"]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(20)
    )
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "bomb.yaml").write_text(lol)
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "validate", "--root", str(tmp_path), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and "[yaml.alias]" in done.stdout


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    raw = ("k: " + "[" * 100_000 + "]" * 100_000 + "\n").encode()
    assert check_bytes(tmp_path, raw) == ["file.too-large"] or "yaml.too-deep" in check_bytes(
        tmp_path, raw[: (1 << 20) - 10]
    )


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_fuzz_corpus_regressions(tmp_path: Path, path: Path) -> None:
    assert check_bytes(tmp_path, path.read_bytes())


# ---------------------------------------------------------------- properties

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


@st.composite
def mutated_claims(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps(BASE_DATA))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(json_values)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
    result: dict[str, Any] = data
    return result


@FAST
@given(mutated_claims())
def test_any_mutation_validates_or_gives_findings(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    check_bytes(tmp_path_factory.mktemp("m"), raw)


@FAST
@given(
    st.binary(max_size=400)
    | st.builds(
        lambda cut, junk: BASE[:cut] + junk + BASE[cut:],
        st.integers(0, len(BASE)),
        st.binary(max_size=12),
    )
)
def test_fuzz_raw_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    check_bytes(tmp_path_factory.mktemp("f"), raw)


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.stem)
def test_model_yaml_model_round_trip(path: Path) -> None:
    claim = Claim.model_validate(load_bytes(path.read_bytes()).data)
    again = Claim.model_validate(load_bytes(to_yaml(claim).encode()).data)
    assert again == claim
    assert to_yaml(again) == to_yaml(claim)


@FAST
@given(
    statement=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() != ""),
    amount=st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False),
)
def test_round_trip_with_any_text_and_amount(statement: str, amount: Any) -> None:
    data = json.loads(json.dumps(BASE_DATA))
    data["statement"] = statement
    data["value"]["min"] = format(amount, "f")
    data["value"]["max"] = format(amount + 1, "f")
    claim = Claim.model_validate(data)
    assert Claim.model_validate(load_bytes(to_yaml(claim).encode()).data) == claim


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(keep=st.sets(st.sampled_from([p.stem for p in CLAIM_FILES]), min_size=1))
def test_worktree_tables_release_load_are_equal(
    tmp_path_factory: pytest.TempPathFactory, keep: set[str]
) -> None:
    root = tmp_path_factory.mktemp("ds")
    for sub in ("seeds", "schemas"):
        subprocess.run(["cp", "-r", str(REPO / sub), str(root / sub)], check=True)
    (root / "claims").mkdir()
    for stem in keep:
        (root / "claims" / f"{stem}.yaml").write_bytes(
            (REPO / "claims" / f"{stem}.yaml").read_bytes()
        )
    tables = claimtrack.load_tables(root)
    publish.release(
        Dataset.open(root), version="1.0.0", date="2026-11-28", changelog=False
    )
    released = claimtrack.load_tables(root, version="1.0.0")
    assert all(released[name].equals(frame) for name, frame in tables.items())
    assert tables["claims"].height == len(keep)


# ---------------------------------------------------------------- releases under fault


def _big_dataset(root: Path, copies: int) -> None:
    text = BASE.decode()
    for i in range(copies):
        (root / "claims" / f"copy-{i:04d}.yaml").write_text(
            text.replace(f"id: {VALUE}", f"id: copy-{i:04d}")
        )


def _release_command(root: Path, version: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "claimtrack",
        "release",
        "--root",
        str(root),
        "--version",
        version,
        "--date",
        "2026-11-28",
        "--no-changelog",
    ]


def test_killed_release_leaves_no_partial_version(dataset: Path) -> None:
    _big_dataset(dataset, 300)
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(dataset / ".cache")}
    subprocess.run(
        _release_command(dataset, "1.0.0"), check=True, capture_output=True, env=env, timeout=120
    )
    before = {p: p.read_bytes() for p in (dataset / "dataset" / "1.0.0").rglob("*") if p.is_file()}
    (dataset / "claims" / "copy-0000.yaml").unlink()
    outcomes = set()
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5, 3.5):
        proc = subprocess.Popen(
            _release_command(dataset, "2.0.0"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        final = dataset / "dataset" / "2.0.0"
        if final.exists():
            assert verify(final) == [], "a release that exists is complete"
            outcomes.add("done")
            break
        outcomes.add("nothing")
        assert not any(p.name == "2.0.0" for p in (dataset / "dataset").iterdir())
    after = {p: p.read_bytes() for p in (dataset / "dataset" / "1.0.0").rglob("*") if p.is_file()}
    assert after == before, "the previous release is untouched"
    assert "nothing" in outcomes


# ---------------------------------------------------------------- query safety


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM READ_PARQUET ('x.parquet')",
        "select * from scan_ndjson('x')",
        "DROP TABLE claims",
        "CREATE TABLE x AS SELECT * FROM claims",
        "COPY claims TO 'out.csv'",
    ],
)
def test_sql_cannot_touch_files_or_tables(sql: str, run_cli: RunCli) -> None:
    result = run_cli("query", "--root", REPO, "--sql", sql, code=2)
    assert "not allowed" in result.stderr


def test_pathological_sql_is_stopped(run_cli: RunCli) -> None:
    result = run_cli(
        "query",
        "--root",
        REPO,
        "--sql",
        "SELECT count(*) FROM claims a, evidence b, attributions c, subjects d, "
        "responses e, evidence f",
        "--timeout",
        "0.5",
        code=2,
    )
    assert "was stopped" in result.stderr


def test_validate_on_a_dataset_of_hostile_files_never_tracebacks(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "claims").mkdir()
    for path in sorted((REPO / "tests" / "examples" / "invalid").glob("*.yaml")):
        (tmp_path / "claims" / path.name).write_bytes(path.read_bytes())
    result = run_cli("validate", "--root", tmp_path, code=1)
    assert "Traceback" not in result.output
    assert validate(Dataset.open(tmp_path)).errors
