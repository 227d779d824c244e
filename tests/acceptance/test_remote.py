"""`load()` of a release published on a web server (a local one on 127.0.0.1)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import claimtrack
from claimtrack.exc import InputError

from ..conftest import REPO, http_server


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of release 1.2.0 served over HTTP on 127.0.0.1; its URL and folder."""
    folder = tmp_path / "www" / "dataset" / "1.2.0"
    shutil.copytree(REPO / "dataset" / "1.2.0", folder)
    with http_server(tmp_path / "www") as base:
        yield f"{base}dataset/1.2.0/", folder


def test_a_published_release_loads_from_its_url(served: tuple[str, Path]) -> None:
    url, _ = served
    local = claimtrack.load(version="1.2.0")
    assert claimtrack.load(url).equals(local)
    tables = claimtrack.load_tables(url.rstrip("/"))
    assert set(tables) >= {"claims", "evidence", "status_history"}
    assert tables["evidence"].equals(claimtrack.load_tables(version="1.2.0")["evidence"])


def test_a_changed_file_on_the_server_is_refused(served: tuple[str, Path]) -> None:
    url, folder = served
    claims = folder / "claims.parquet"
    data = bytearray(claims.read_bytes())
    data[len(data) // 2] ^= 0xFF
    claims.write_bytes(bytes(data))
    with pytest.raises(InputError, match="not the file its manifest lists"):
        claimtrack.load(url)


def test_a_url_without_a_release_is_an_input_error(served: tuple[str, Path]) -> None:
    url, _ = served
    with pytest.raises(InputError, match="HTTP 404"):
        claimtrack.load(url.replace("1.2.0", "9.9.9"))
