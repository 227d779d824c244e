"""`load()` of a release published on a web server (a local one on 127.0.0.1)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def in_s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    """Release 1.2.0 uploaded to a local S3 (moto on 127.0.0.1), with the store's settings in
    the environment as a user sets them; its URL and an S3 client."""
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ALLOW_HTTP": "true",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        client = boto3.client("s3")
        client.create_bucket(Bucket="releases")
        release = REPO / "dataset" / "1.2.0"
        for path in sorted(p for p in release.rglob("*") if p.is_file()):
            key = f"dataset/1.2.0/{path.relative_to(release).as_posix()}"
            client.put_object(Bucket="releases", Key=key, Body=path.read_bytes())
        yield "s3://releases/dataset/1.2.0/", client
    finally:
        server.stop()


def test_a_release_in_an_object_store_loads_from_its_url(in_s3: tuple[str, Any]) -> None:
    url, _ = in_s3
    assert claimtrack.load(url).equals(claimtrack.load(version="1.2.0"))
    evidence = claimtrack.load_tables(url.rstrip("/"))
    assert evidence["evidence"].equals(claimtrack.load_tables(version="1.2.0")["evidence"])


def test_a_changed_object_is_refused(in_s3: tuple[str, Any]) -> None:
    url, client = in_s3
    key = "dataset/1.2.0/claims.parquet"
    data = bytearray(client.get_object(Bucket="releases", Key=key)["Body"].read())
    data[len(data) // 2] ^= 0xFF
    client.put_object(Bucket="releases", Key=key, Body=bytes(data))
    with pytest.raises(InputError, match="not the file its manifest lists"):
        claimtrack.load(url)


def test_a_missing_release_in_an_object_store_is_an_input_error(in_s3: tuple[str, Any]) -> None:
    url, _ = in_s3
    with pytest.raises(InputError, match="does not exist"):
        claimtrack.load(url.replace("1.2.0", "9.9.9"))


def test_an_object_store_url_without_the_extra_names_the_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "obstore.store", None)  # as if it were not installed
    with pytest.raises(InputError) as raised:
        claimtrack.load("s3://bucket/dataset/1.2.0/")
    assert "claimtrack[cloud]" in (raised.value.hint or "")


def test_an_object_larger_than_listed_is_refused_unread(in_s3: tuple[str, Any]) -> None:
    url, client = in_s3
    key = "dataset/1.2.0/claims.parquet"
    data = client.get_object(Bucket="releases", Key=key)["Body"].read()
    client.put_object(Bucket="releases", Key=key, Body=data + b"\0" * 4096)
    with pytest.raises(InputError, match="is larger than"):
        claimtrack.load(url)
