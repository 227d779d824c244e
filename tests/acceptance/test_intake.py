"""What `seed add` takes in is bounded: a web archive that expands into gigabytes, a file that is
not what its name says, or a damaged archive is refused with a clear error (exit 2), and
nothing is written."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from ..conftest import RunCli

pytest.importorskip("warcio")


def _warc(payload: bytes, *, encoding: str | None = None, url: str = "https://x.example/") -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
    if encoding:
        head += f"Content-Encoding: {encoding}\r\n".encode()
    http = head + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\n"
        + f"WARC-Target-URI: {url}\r\n".encode()
        + b"WARC-Date: 2024-03-05T09:00:00Z\r\n"
        b"WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789012>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(http)}\r\n\r\n".encode()
        + http
        + b"\r\n\r\n"
    )


@pytest.fixture
def root(tmp_path: Path, run_cli: RunCli) -> Path:
    run_cli("init", tmp_path / "ds")
    return tmp_path / "ds"


def _seeds(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "seeds").iterdir() if p.name != ".gitkeep")


def test_a_warc_that_expands_past_the_budget_is_refused(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    bomb = gzip.compress(b"\0" * (65 << 20), compresslevel=9)  # 65 MiB of zeros, ~65 KB
    path = tmp_path / "bomb.warc"
    path.write_bytes(_warc(bomb, encoding="gzip"))
    assert path.stat().st_size < 1 << 20
    result = run_cli("seed", "add", path, "--root", root, "--language", "en", code=2)
    assert "expands to more than" in result.stderr
    assert _seeds(root) == []


def test_a_warc_with_a_small_record_is_archived(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "page.warc"
    text = "The bridge repairs cost £2 million, the mayor said.\n"
    path.write_bytes(_warc(gzip.compress(text.encode()), encoding="gzip"))
    run_cli("seed", "add", path, "--root", root, "--id", "page", "--language", "en")
    assert (root / "seeds" / "page.txt").read_text("utf-8") == text


@pytest.mark.parametrize(
    "content",
    [
        b"Just a text file with a WARC name.\n",  # not a WARC at all
        b"WARC/1.0\r\nWARC-Type: resp",  # a header cut short
        gzip.compress(b"")[:6] + os.urandom(64),  # random bytes behind a gzip header
        _warc(b"x" * 50)[:-60],  # a record cut short
    ],
)
def test_what_is_not_a_whole_warc_is_refused(
    content: bytes, root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    path = tmp_path / "file.warc"
    path.write_bytes(content)
    result = run_cli("seed", "add", path, "--root", root, "--language", "en", code=2)
    assert "WARC" in result.stderr
    assert _seeds(root) == []
