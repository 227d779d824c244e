"""What `seed add` takes in is bounded: a web archive that expands into gigabytes, a file that is
not what its name says, or a damaged archive is refused with a clear error (exit 2), and
nothing is written."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from claimtrack.edit.extract import Extracted

from ..conftest import REPO, RunCli, pdf_bytes

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


@pytest.mark.parametrize("seed_id", ["../../evil", "x/y", ".hidden", "a" * 300, "upper"])
def test_a_seed_id_that_validate_would_refuse_is_refused_first(
    seed_id: str, root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    first = tmp_path / "first.txt"
    first.write_text("A first text.\n", "utf-8")
    run_cli("seed", "add", first, "--root", root, "--id", "UPPER", "--language", "en")
    before = _seeds(root)
    source = tmp_path / "text.txt"
    source.write_text("Some text to archive.\n", "utf-8")
    result = run_cli("seed", "add", source, "--root", root, "--id", seed_id, "--language", "en",
                     code=2)  # fmt: skip
    assert "not a seed id" in result.stderr or "exists already" in result.stderr
    assert _seeds(root) == before
    assert not (tmp_path / "evil.txt").exists()
    run_cli("validate", "--root", root)


def test_a_text_over_the_seed_size_is_refused(root: Path, tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "big.txt"
    with source.open("w", encoding="utf-8") as handle:
        line = "A line of a very long text.\n" * 1000
        for _ in range((65 << 20) // len(line) + 1):
            handle.write(line)
    result = run_cli("seed", "add", source, "--root", root, "--language", "en", code=2)
    assert "at most" in result.stderr or "limit" in result.stderr
    assert _seeds(root) == []


def test_an_interrupted_seed_add_does_not_block_the_next(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / "text.txt"
    source.write_text("Some text to archive.\n", "utf-8")
    (root / "seeds" / "left.txt").write_text("half written", "utf-8")  # no metadata
    out = run_cli("validate", "--root", root).stdout
    assert "warning [seed.orphan]" in out and "left.txt" in out
    run_cli("seed", "add", source, "--root", root, "--id", "left", "--language", "en")
    assert (root / "seeds" / "left.txt").read_text("utf-8") == "Some text to archive.\n"
    assert "orphan" not in run_cli("validate", "--root", root).stdout


def test_fix_never_writes_an_id_that_is_not_one(dataset: Path, run_cli: RunCli) -> None:
    good = dataset / "claims" / "aws-is-a-us-company.yaml"
    bad = dataset / "claims" / "Bad Name.yaml"
    bad.write_bytes(good.read_bytes())
    good.unlink()
    before = bad.read_bytes()
    run_cli("fix", "--root", dataset, code=None)
    assert bad.read_bytes() == before  # "Bad Name" is no claim id: the editor renames the file
    out = run_cli("validate", "--root", dataset, code=1).stdout
    assert "[id.file-name]" in out
    assert "would set" not in run_cli("fix", "--check", "--root", dataset, code=None).stdout


def test_sql_shows_no_path_of_this_machine(run_cli: RunCli) -> None:
    out = run_cli(
        "query", "--root", REPO, "--format", "json", "--sql",
        "SELECT name, value FROM duckdb_settings()",
    ).stdout  # fmt: skip
    assert str(Path.home()) not in out and "stored_secrets" not in out


@pytest.mark.parametrize(("value", "best", "worst"), [(100, 5, 1), (-3, 5, 1), (0, 10, 1)])
def test_a_rating_outside_its_own_scale_is_refused(
    value: float, best: float, worst: float, root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    import json  # noqa: PLC0415

    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "The harbour wall is 800 metres long.",
        "url": "https://checks.example.org/wall",
        "reviewRating": {
            "@type": "Rating", "ratingValue": value, "bestRating": best, "worstRating": worst,
        },
        "author": {"@type": "Organization", "name": "Example Checkers"},
    }  # fmt: skip
    source = tmp_path / "review.json"
    source.write_text(json.dumps(review), "utf-8")
    result = run_cli("import", "claimreview", source, "--into", root, code=1)
    assert "0 added" in result.stdout and "outside its scale" in result.stderr
    assert not list((root / "claims").glob("*.yaml"))


def test_changelog_links_lead_only_to_http_pages(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    (dataset / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n- [a](//evil.example/x) [b](javascript:alert(1)) "
        "[c](https://ok.example/notes)\n",
        "utf-8",
    )
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", dataset, "-o", out)
    page = (out / "release.html").read_text("utf-8")
    assert "evil.example" not in page.split("[a]")[0] and 'href="//' not in page
    assert 'href="javascript' not in page.lower()
    assert '<a href="https://ok.example/notes" rel="nofollow noopener noreferrer">c</a>' in page


def test_a_site_is_never_written_into_a_release_or_through_a_link(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    inside = run_cli("site", "--root", dataset, "-o", dataset / "dataset" / "1.0.0" / "sub", code=2)
    assert "releases are immutable" in inside.stderr
    assert not (dataset / "dataset" / "1.0.0" / "sub").exists()
    assert "release 1.0.0 is intact" in run_cli("verify", "1.0.0", "--root", dataset).stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    through = run_cli("site", "--root", dataset, "-o", link, code=2)
    assert "symbolic link" in through.stderr
    assert link.is_symlink() and not list(tmp_path.glob(".link*"))


def test_a_large_sql_result_is_drawn_in_bounded_rows(run_cli: RunCli) -> None:
    out = run_cli(
        "query", "--root", REPO, "--timeout", "60", "--memory-limit", "256", "--sql",
        "SELECT range AS r FROM range(300000)",
    ).stdout  # fmt: skip
    assert "... and 299,000 more row(s)" in out
    assert len(out.splitlines()) < 1_100


def _pdf(stream: bytes, filters: bytes = b"") -> bytes:
    return pdf_bytes(stream, filters)


def _seed_add(root: Path, path: Path) -> tuple[int, str]:
    from click.testing import CliRunner  # noqa: PLC0415

    from claimtrack.cli.app import cli  # noqa: PLC0415

    result = CliRunner().invoke(
        cli, ["seed", "add", str(path), "--root", str(root), "--language", "en"]
    )
    return result.exit_code, result.stderr


def test_a_pdf_that_expands_past_its_limits_is_refused(root: Path, tmp_path: Path) -> None:
    import zlib  # noqa: PLC0415

    bomb = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET " + b" " * (300 << 20), 9)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_pdf(bomb, b" /Filter /FlateDecode"))
    code, err = _seed_add(root, path)
    assert code == 2, err
    assert _seeds(root) == []


def test_damaged_pdfs_are_refused_never_a_crash(root: Path, tmp_path: Path) -> None:
    import random  # noqa: PLC0415

    good = _pdf(b"BT /F1 12 Tf 72 720 Td (The council approved the budget.) Tj ET")
    rng = random.Random(7)
    for i in range(12):
        damaged = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"d{i}.pdf"
        path.write_bytes(bytes(damaged))
        code, err = _seed_add(root, path)
        assert code in (0, 1, 2), err  # archived, archived already, or refused: never exit 3
        assert "Traceback" not in err


def test_reading_a_document_has_a_deadline(tmp_path: Path) -> None:
    from claimtrack.edit.bounded import extract_bounded  # noqa: PLC0415
    from claimtrack.exc import InputError  # noqa: PLC0415

    page = (Path(__file__).parents[1] / "data" / "editing" / "article.html").read_bytes()
    with pytest.raises(InputError, match=r"took more than 0\.01 s"):
        extract_bounded(tmp_path / "a.html", page, encoding=None, record_url=None, deadline_s=0.01)


@pytest.mark.parametrize(
    ("page", "blocks"),
    [
        ('<script type="application/ld+json">{"a": 1}</script>', [{"a": 1}]),
        ("<SCRIPT TYPE='application/ld+json; charset=utf-8'>[1]</SCRIPT >", [[1]]),
        ("<script type=application/ld+json>2</script>", [2]),
        ('<!-- <script type="application/ld+json">{"old": 1}</script> -->', []),
        ('<script type="text/javascript">x = "</scr" + "ipt>"</script>', []),
        ('<scripts type="application/ld+json">3</scripts>', []),
        ('<script type="application/ld+json">{"b": "</p>"}</script><p>', [{"b": "</p>"}]),
    ],
)
def test_json_ld_blocks_are_found_as_a_browser_reads_them(page: str, blocks: list[object]) -> None:
    from claimtrack.interop.jsonld import script_blocks  # noqa: PLC0415

    assert script_blocks(f"<html><body>{page}</body></html>")[0] == blocks


def test_a_hostile_page_is_read_in_one_pass(root: Path, tmp_path: Path, run_cli: RunCli) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>" + "</" * 500_000 + "<script" * 100_000, "utf-8")
    result = run_cli("import", "claimreview", page, "--into", root, code=None)
    assert "0 added" in result.stdout


def test_a_web_page_past_the_page_size_is_refused(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    page = tmp_path / "huge.html"
    with page.open("w", encoding="utf-8") as handle:
        handle.write("<html><body>")
        paragraph = "<p>" + "word " * 40 + "</p>\n"
        for _ in range((33 << 20) // len(paragraph)):
            handle.write(paragraph)
        handle.write("</body></html>")
    result = run_cli("seed", "add", page, "--root", root, "--language", "en", code=2)
    assert "are not read" in result.stderr
    assert _seeds(root) == []


def _crashing_worker(job: object) -> Extracted:
    """A parser that dies in its C code: the process ends without a word."""
    os._exit(3)


def test_a_crashed_reader_is_told_at_once_not_at_the_deadline(tmp_path: Path) -> None:
    import time  # noqa: PLC0415

    from claimtrack.edit.bounded import extract_bounded  # noqa: PLC0415
    from claimtrack.exc import InputError  # noqa: PLC0415

    page = (Path(__file__).parents[1] / "data" / "editing" / "article.html").read_bytes()
    started = time.monotonic()
    with pytest.raises(InputError, match="stopped its worker process"):
        extract_bounded(
            tmp_path / "a.html", page, encoding=None, record_url=None, deadline_s=60,
            worker=_crashing_worker,
        )  # fmt: skip
    assert time.monotonic() - started < 30


def test_seed_add_never_replaces_a_file_another_seed_names(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    first = tmp_path / "first.txt"
    first.write_text("The first text.\n", "utf-8")
    run_cli("seed", "add", first, "--root", root, "--id", "a", "--language", "en")
    meta = root / "seeds" / "a.yaml"
    meta.write_text(meta.read_text("utf-8").replace("text_file: a.txt", "text_file: b.txt"))
    (root / "seeds" / "a.txt").rename(root / "seeds" / "b.txt")  # seed a's text is b.txt
    run_cli("validate", "--root", root)
    second = tmp_path / "second.txt"
    second.write_text("Another text.\n", "utf-8")
    refused = run_cli("seed", "add", second, "--root", root, "--id", "b", "--language", "en",
                      code=2)  # fmt: skip
    assert "belongs to another seed" in refused.stderr
    assert (root / "seeds" / "b.txt").read_text("utf-8") == "The first text.\n"
    run_cli("validate", "--root", root)


def test_a_release_names_the_originals_it_ships(
    root: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    from ..conftest import publishable  # noqa: PLC0415

    publishable(root)
    page = tmp_path / "page.html"
    page.write_bytes((Path(__file__).parents[1] / "data" / "editing" / "article.html").read_bytes())
    run_cli(
        "seed", "add", page, "--root", root, "--id", "page", "--redistribution", "full_text",
        "--rights", "Ours.",
    )  # fmt: skip
    meta = root / "seeds" / "page.yaml"
    meta.write_text(meta.read_text("utf-8").replace("page.orig.html", "original.html"))
    (root / "seeds" / "page.orig.html").rename(root / "seeds" / "original.html")
    run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
    assert "release 1.0.0 is intact" in run_cli("verify", "1.0.0", "--root", root).stdout
