"""Shared fixtures: the CLI runner and throw-away copies of datasets."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimtrack.cli.app import cli

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
EXAMPLES = TESTS / "examples"

RunCli = Callable[..., Result]


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own validation cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(folder))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return folder


def publishable(root: Path) -> Path:
    """Fill in what `release` needs of a dataset that a test made with `init`: its identity
    (name and licence), a methodology and a corrections policy."""
    (root / "dataset.yaml").write_text(
        "schema_version: '1.0'\nname: test-dataset\nlicense: CC-BY-4.0\n", "utf-8"
    )
    (root / "METHODOLOGY.md").write_text("# Methodology\n\nTest data, made by a test.\n", "utf-8")
    (root / "CORRECTIONS.md").write_text("# Corrections\n\nTest data, made by a test.\n", "utf-8")
    return root


def redistribute(root: Path, policy: str) -> Path:
    """Set every seed of a test's copy of a dataset to ``policy`` (for tests that compare a
    release with the working tree, which a `none` seed's withheld words would make differ)."""
    for meta in (root / "seeds").glob("*.yaml"):
        text = meta.read_text("utf-8")
        meta.write_text(re.sub(r"(?m)^redistribution: .*$", f"redistribution: {policy}", text))
    return root


@pytest.fixture
def examples_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tests/examples/` keeps its seed's metadata, not the article: the text is read from the
    repository's `seeds/` (a text kept outside the dataset, `CLAIMTRACK_SEED_TEXTS`). Tests that
    use it skip where the article is absent (a source distribution leaves it out)."""
    if not (REPO / "seeds" / "000_41d59578b16f00ef.txt").is_file():
        pytest.skip("the archived article is not in this copy of claimtrack (seeds/)")
    monkeypatch.setenv("CLAIMTRACK_SEED_TEXTS", str(REPO / "seeds"))


@pytest.fixture
def run_cli() -> RunCli:
    """Run `claimtrack ARGS...`, assert the exit code, and show the output when it differs."""

    def run(*args: str | Path, code: int | None = 0) -> Result:
        """``code`` None: either outcome of a check (0 valid, 1 findings), never 2 or 3."""
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        wanted = (0, 1) if code is None else (code,)
        assert result.exit_code in wanted, (
            f"claimtrack {' '.join(map(str, args))} exited {result.exit_code}, expected {code}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
        return result

    return run


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the repository's own dataset (claims, seeds, schemas) to change freely."""
    root = tmp_path / "data"
    for name in ("claims", "seeds", "schemas"):
        shutil.copytree(REPO / name, root / name)
    for name in ("dataset.yaml", "METHODOLOGY.md", "CORRECTIONS.md"):  # what a release needs
        shutil.copy2(REPO / name, root / name)
    return root


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextlib.contextmanager
def http_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL (ending in `/`)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def git(root: Path, *args: str) -> None:
    """Run git in ``root`` as a throw-away author."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def add_text_seed(
    run_cli: RunCli, root: Path, text: str, *options: str, name: str = "source.txt"
) -> Path:
    """Write ``text`` beside the dataset ``root`` as file ``name`` and archive it with `seed add`
    (English, plus ``options``); returns the file written."""
    source = root.parent / name
    source.write_text(text, "utf-8")
    run_cli("seed", "add", source, "--root", root, "--language", "en", *options)
    return source


def committed(root: Path) -> None:
    """Make ``root`` a git repository with everything in it committed."""
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "x")


def pdf_bytes(stream: bytes, filters: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is ``stream`` (built by hand: no writer needed);
    ``filters``: extra keys of the stream's dictionary (e.g. `` /Filter /FlateDecode``)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R"
        b" >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + filters + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]  # fmt: skip
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )


def relist(folder: Path, rel: str) -> None:
    """List the release file ``rel`` in ``folder``'s manifest with its current size and
    SHA-256, adding it when the manifest lacks it (as someone rewriting both would)."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    data = (folder / rel).read_bytes()
    entry = {"path": rel, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    files = [e for e in manifest["files"] if e["path"] != rel]
    manifest["files"] = sorted([*files, entry], key=lambda e: e["path"])
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
