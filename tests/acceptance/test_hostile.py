"""Hostile and broken input: nothing crashes, hangs, leaks or is lost.

Property-based tests (hypothesis) mutate valid claims and raw bytes; whatever comes in, the
validator returns findings and never raises. Inputs that once broke something are kept in
tests/fuzz_corpus/ as regression cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
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
from claimtrack.model.records import Claim
from claimtrack.model.schema_export import CLAIM_SCHEMA, render
from claimtrack.release import publish
from claimtrack.release.verify import verify
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.yaml_read import load_bytes
from claimtrack.store.yaml_write import to_yaml
from claimtrack.validate.per_file import check_file
from claimtrack.validate.runner import validate

from ..conftest import REPO, TESTS, RunCli, publishable, redistribute

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
    deep = ("k: " + "[" * 100_000 + "]" * 100_000 + "\n").encode()  # 200 KB: read, refused
    assert check_bytes(tmp_path, deep) == ["yaml.too-deep"]
    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(40)) + "  " * 40 + "v: 1\n"
    assert "yaml.too-deep" in check_bytes(tmp_path, block.encode())  # block style too
    shallow = ("k: " + "[" * 20 + "]" * 20 + "\n").encode()
    assert "yaml.too-deep" not in check_bytes(tmp_path, shallow)


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
    redistribute(publishable(root), "full_text")  # the release withholds nothing: equal tables
    (root / "claims").mkdir()
    for stem in keep:
        (root / "claims" / f"{stem}.yaml").write_bytes(
            (REPO / "claims" / f"{stem}.yaml").read_bytes()
        )
    tables = claimtrack.load_tables(root)
    publish.release(Dataset.open(root), version="1.0.0", date="2026-11-28", changelog=False)
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


def _big_seed(root: Path, megabytes: int) -> None:
    """An extra archived seed large enough that writing a release takes a while."""
    text = ("Un texte archivé pour les tests. " * 31 + "\n").encode() * (megabytes * 1024)
    (root / "seeds" / "big.txt").write_bytes(text)
    meta = (root / "seeds" / "000_41d59578b16f00ef.yaml").read_text("utf-8")
    meta = re.sub(r"(?m)^id: .*$", "id: big", meta)
    meta = re.sub(r"(?m)^text_file: .*$", "text_file: big.txt", meta)
    meta = re.sub(r"(?m)^sha256: .*$", f"sha256: {hashlib.sha256(text).hexdigest()}", meta)
    (root / "seeds" / "big.yaml").write_text(meta, "utf-8")


def test_killed_release_leaves_no_partial_version(dataset: Path) -> None:
    _big_dataset(dataset, 50)
    _big_seed(dataset, 48)
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(dataset / ".cache")}
    subprocess.run(
        _release_command(dataset, "1.0.0"), check=True, capture_output=True, env=env, timeout=120
    )
    releases = dataset / "dataset"
    before = {p: p.read_bytes() for p in (releases / "1.0.0").rglob("*") if p.is_file()}
    (dataset / "claims" / "copy-0000.yaml").unlink()
    proc = subprocess.Popen(
        _release_command(dataset, "2.0.0"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list(releases.glob(".staging-*")):  # publishing has begun
        assert proc.poll() is None, "the release finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (releases / "2.0.0").exists(), "a killed release leaves no partial version"
    assert list(releases.glob(".staging-*")), "the kill landed inside publishing"
    after = {p: p.read_bytes() for p in (releases / "1.0.0").rglob("*") if p.is_file()}
    assert after == before, "the previous release is untouched"
    done = subprocess.run(
        _release_command(dataset, "2.0.0"),
        check=False,
        capture_output=True,
        env=env,
        timeout=120,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert verify(releases / "2.0.0") == []
    assert not list(releases.glob(".staging-*")), "the rerun cleans what the killed one left"


def test_concurrent_releases_one_wins_the_other_is_told(dataset: Path) -> None:
    _big_seed(dataset, 32)
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(dataset / ".cache")}
    subprocess.run(
        [sys.executable, "-m", "claimtrack", "validate", "--root", str(dataset)],
        check=True,
        env=env,
        timeout=120,
    )  # both start warm, so they reach the lock together
    procs = [
        subprocess.Popen(
            _release_command(dataset, "1.0.0"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    outcomes = sorted((p.returncode, err) for p, err in zip(procs, errors, strict=True))
    assert [code for code, _ in outcomes] == [0, 2], outcomes
    assert (
        "another release of this dataset is running" in outcomes[1][1]
        or "already exists" in outcomes[1][1]
        or "is not after the latest release" in outcomes[1][1]
    )
    assert verify(dataset / "dataset" / "1.0.0") == []


def test_changelog_section_is_written_even_if_killed_after_the_rename(dataset: Path) -> None:
    (dataset / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", "utf-8")
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(dataset / ".cache")}
    command = [c for c in _release_command(dataset, "1.0.0") if c != "--no-changelog"]
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)
    # the section is written before the release appears, so whatever the moment of a kill,
    # a published release always has its section
    assert "## [1.0.0] - 2026-11-28" in (dataset / "CHANGELOG.md").read_text("utf-8")


def test_validate_on_a_dataset_of_hostile_files_never_tracebacks(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "claims").mkdir()
    for path in sorted((REPO / "tests" / "examples" / "invalid").glob("*.yaml")):
        (tmp_path / "claims" / path.name).write_bytes(path.read_bytes())
    result = run_cli("validate", "--root", tmp_path, code=1)
    assert "Traceback" not in result.output
    assert validate(Dataset.open(tmp_path)).errors
