"""A newcomer's downloaded release: `verify PATH` and `load(PATH)` check and read the copy in
hand, wherever it is, and a version number alone never silently means another dataset."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

import claimtrack
from claimtrack.exc import InputError
from claimtrack.tables.load import PackagedRelease

from ..conftest import REPO, RunCli

LATEST = sorted(
    (p.name for p in (REPO / "dataset").iterdir() if (p / "manifest.json").is_file()),
    key=lambda v: tuple(int(x) for x in v.split(".")),
)[-1]


@pytest.fixture
def downloaded(tmp_path: Path) -> Path:
    """A copy of the latest release in a folder that is no dataset, as a reader downloads it."""
    folder = tmp_path / "downloads" / LATEST
    shutil.copytree(REPO / "dataset" / LATEST, folder)
    return folder


def test_verify_checks_the_downloaded_copy_not_the_packaged_one(
    downloaded: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(downloaded.parent)
    assert f"release {LATEST} is intact" in run_cli("verify", LATEST).stdout
    with (downloaded / "claims.csv").open("a", encoding="utf-8") as handle:
        handle.write("tampered,row\n")
    for given in (LATEST, f"./{LATEST}", str(downloaded)):
        result = run_cli("verify", given, code=1)
        assert "claims.csv" in result.stdout and "not intact" in result.stderr
    elsewhere = downloaded.parent.parent / "empty"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    packaged = run_cli("verify", LATEST)  # no copy here: the packaged one, and it says so
    assert "shipped with claimtrack" in packaged.stderr


def test_load_reads_a_release_folder_by_path_or_file_url(
    downloaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = claimtrack.load(REPO, version=LATEST)
    assert claimtrack.load(downloaded).equals(expected)
    assert claimtrack.load(downloaded.as_uri()).equals(expected)
    monkeypatch.chdir(downloaded.parent)
    lazy = claimtrack.load(LATEST, lazy=True)  # a relative path, read after a chdir
    monkeypatch.chdir(downloaded.parent.parent)
    assert lazy.collect().equals(expected)
    with pytest.raises(InputError, match=r"not 0\.0\.1"):
        claimtrack.load(downloaded, version="0.0.1")


def test_a_packaged_release_is_never_taken_for_the_users_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.warns(PackagedRelease, match="shipped with claimtrack"):
        claimtrack.load(version=LATEST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claimtrack.load(REPO, version=LATEST)  # the dataset named: no warning
    assert Path.cwd() == tmp_path


def test_a_pasted_translation_is_a_machine_one_unless_said(dataset: Path, run_cli: RunCli) -> None:
    run_cli(
        "claim", "add", "--root", dataset, "--seed", "000_41d59578b16f00ef", "--quote",
        "Amazon ne pourra pas y accéder", "--statement", "Amazon cannot access it.",
        "--kind", "access", "--asserter", "The article", "--id", "pasted",
        "--translation", "Amazon will not be able to access it",
    )  # fmt: skip
    text = (dataset / "claims" / "pasted.yaml").read_text("utf-8")
    assert "method: machine" in text


def test_a_partitioned_release_folder_loads_whole(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli(
        "release", "--root", dataset, "--version", "1.0.0", "--no-changelog",
        "--part-size", "4",
    )  # fmt: skip
    copy = tmp_path / "copy" / "1.0.0"
    shutil.copytree(dataset / "dataset" / "1.0.0", copy)
    assert (copy / "claims").is_dir()  # the parts: a folder named like a dataset's
    assert claimtrack.load(copy).height == 13
    assert "release 1.0.0 is intact" in run_cli("verify", copy).stdout
