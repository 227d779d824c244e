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

from ..conftest import REPO, http_server, relist


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


def test_a_table_with_more_rows_than_listed_is_refused_before_it_is_read(
    served: tuple[str, Path],
) -> None:
    import polars as pl  # noqa: PLC0415

    url, folder = served
    many = pl.DataFrame({"claim_id": pl.repeat("x", 3_000_000, eager=True)})
    many.write_parquet(folder / "claims.parquet", compression="zstd")
    assert (folder / "claims.parquet").stat().st_size < 1 << 20
    relist(folder, "claims.parquet")
    with pytest.raises(InputError, match=r"has 3,000,000 rows; its manifest lists 13"):
        claimtrack.load(url)


def test_a_table_whose_columns_differ_from_its_manifest_is_refused(
    served: tuple[str, Path],
) -> None:
    import polars as pl  # noqa: PLC0415

    url, folder = served
    claims = pl.read_parquet(folder / "claims.parquet")
    claims.with_columns(pl.col("status").cast(pl.String)).write_parquet(folder / "claims.parquet")
    relist(folder, "claims.parquet")
    with pytest.raises(InputError, match="columns and types its manifest lists"):
        claimtrack.load(url)


def test_a_download_that_trickles_is_stopped_at_its_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading  # noqa: PLC0415
    import time  # noqa: PLC0415
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: PLC0415

    from claimtrack.tables import remote  # noqa: PLC0415

    folder = REPO / "dataset" / "1.2.0"

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = (folder / self.path.rsplit("/", 1)[-1]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.path.endswith("manifest.json"):
                self.wfile.write(data)
                return
            for i in range(0, len(data), 64):  # a few bytes at a time, each in time
                try:
                    self.wfile.write(data[i : i + 64])
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(remote, "TIMEOUT", 0.5)
    monkeypatch.setattr(remote, "MIN_RATE", 10**9)
    try:
        started = time.monotonic()
        with pytest.raises(InputError, match="took more than"):
            claimtrack.load(f"http://127.0.0.1:{server.server_address[1]}/dataset/1.2.0/")
        assert time.monotonic() - started < 30
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
