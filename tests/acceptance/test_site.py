"""`claimtrack site`: the website of a release, built from its files, checked as HTML and in
Debian's chromium (through Playwright, with axe-core for accessibility)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from claimtrack.site.pages import safe_url, search_key

from ..conftest import REPO, TESTS, RunCli, publishable, redistribute, relist

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
RELEASES = sorted(
    (p.name for p in (REPO / "dataset").iterdir() if (p / "manifest.json").is_file()),
    key=lambda v: tuple(int(x) for x in v.split(".")),
)
LATEST = RELEASES[-1]
SEED = "000_41d59578b16f00ef"
CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<script>alert('x')</script> </script><!-- & \u2028 javascript:alert(1)"


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Scripts(HTMLParser):
    """The JSON-LD blocks, script sources and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.sources: list[str] = []
        self.links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in = found.get("type") or "js"
            if found.get("src"):
                self.sources.append(str(found["src"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "application/ld+json":
            self.blocks.append(data)


def _parse(path: Path) -> _Scripts:
    parser = _Scripts()
    parser.feed(path.read_text("utf-8"))
    return parser


@pytest.fixture
def full_text(dataset: Path) -> Path:
    """The repository's dataset, with its seed allowed in full (a test copy only)."""
    return redistribute(dataset, "full_text")


@pytest.fixture
def site(full_text: Path, tmp_path: Path, run_cli: RunCli) -> Path:
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", full_text, "-o", out, "--base-url", "https://ex.org/c")
    return out


def test_a_release_site_has_every_page_and_only_what_the_release_publishes(
    tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "site"
    run_cli("site", LATEST, "--root", REPO, "-o", out)
    claims = sorted(p.stem for p in (REPO / "claims").glob("*.yaml"))
    assert sorted(p.stem for p in (out / "claims").glob("*.html")) == claims
    assert (out / "seeds" / f"{SEED}.html").is_file()
    for name in ("index.html", "stats.html", "release.html", "assets/site.css"):
        assert (out / name).is_file(), name
    article = (REPO / "seeds" / f"{SEED}.txt").read_text("utf-8")
    seed_page = (out / "seeds" / f"{SEED}.html").read_text("utf-8")
    assert "does not publish the text" in seed_page
    assert article[:200] not in seed_page  # the text is not on the site
    assert not (out / "files" / "seeds" / f"{SEED}.txt").exists()
    # the dataset's identity, methodology and corrections, as the release ships them
    index = (out / "index.html").read_text("utf-8")
    assert "Claims about AWS hosting UK intelligence data" in index
    assert "Published by claimtrack maintainers" in index and "CC-BY-4.0" in index
    assert "How we decide a status" in (out / "methodology.html").read_text("utf-8")
    corrections = (out / "corrections.html").read_text("utf-8")
    assert "How to report an error" in corrections
    assert corrections.count("<dt>What was wrong</dt>") >= 13  # every correction, on one page
    value_page = (out / "claims" / f"{VALUE}.html").read_text("utf-8")
    assert 'id="h-corrections"' in value_page and "the verb is in" in value_page
    # releases whose claim records are withdrawn from publication have no site
    old = run_cli("site", "1.1.0", "--root", REPO, "-o", tmp_path / "old", code=2)
    assert "withdrawn from publication" in old.stderr and not (tmp_path / "old").exists()


def test_the_site_is_deterministic(full_text: Path, tmp_path: Path, run_cli: RunCli) -> None:
    run_cli("site", "worktree", "--root", full_text, "-o", tmp_path / "a")
    run_cli("site", "worktree", "--root", full_text, "-o", tmp_path / "b")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    run_cli("site", LATEST, "--root", REPO, "-o", tmp_path / "c")
    first = _tree(tmp_path / "c")
    run_cli("site", LATEST, "--root", REPO, "-o", tmp_path / "c")  # replaces its own site
    assert _tree(tmp_path / "c") == first


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = run_cli("site", "--root", REPO, "-o", out, code=2)
    assert "not a claimtrack site" in result.stderr
    assert (out / "notes.txt").read_text() == "keep me"
    assert not list(tmp_path.glob(".mine.staging-*"))


def test_quotes_are_highlighted_in_their_source(site: Path) -> None:
    page = (site / "claims" / f"{VALUE}.html").read_text("utf-8")
    assert page.count("<mark>") >= 3 and 'class="context"' in page
    seed_page = (site / "seeds" / f"{SEED}.html").read_text("utf-8")
    assert f"../claims/{VALUE}.html#q1" in seed_page
    assert 'class="timeline"' in page


def test_a_claim_nobody_rated_has_claim_markup_and_no_review(site: Path) -> None:
    pages = sorted((site / "claims").glob("*.html"))
    assert len(pages) == 13
    for path in pages:
        (block,) = _parse(path).blocks
        claim = json.loads(block)
        assert claim["@type"] == "Claim", path  # reported, not_checkable: nobody reviewed it
        assert "reviewRating" not in claim and "ClaimReview" not in block
        assert claim["author"] and claim["inLanguage"] == "fr"


# Google's ClaimReview structured data: what it requires, and what it recommends
GOOGLE_REQUIRED = ("claimReviewed", "reviewRating", "url")
GOOGLE_RATING_REQUIRED = ("alternateName",)
GOOGLE_RECOMMENDED = ("author", "datePublished", "itemReviewed")
GOOGLE_ITEM_RECOMMENDED = ("author", "datePublished", "appearance", "firstAppearance")


def _visible_text(html: str) -> str:
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_every_claimreview_has_what_google_asks_and_the_page_shows_it(
    full_text: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    claim = full_text / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8").replace("\nkind:", "\nclaim_date: '2021-10-26'\nkind:", 1)
    claim.write_text(text, "utf-8")
    meta = full_text / "seeds" / f"{SEED}.yaml"
    meta.write_text(
        meta.read_text("utf-8").replace("url: null", "url: https://news.example.fr/amazon"),
        "utf-8",
    )
    run_cli(
        "claim", "status", VALUE, "refuted", "--root", full_text, "--date", "2026-12-01",
        "--reason", "The contract notice gives a lower value.",
    )  # fmt: skip
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", full_text, "-o", out, "--base-url", "https://ex.org/c")
    page = (out / "claims" / f"{VALUE}.html").read_text("utf-8")
    (block,) = _parse(out / "claims" / f"{VALUE}.html").blocks
    review = json.loads(block)
    assert review["@type"] == "ClaimReview"
    for key in GOOGLE_REQUIRED + GOOGLE_RECOMMENDED:
        assert review.get(key), key
    rating = review["reviewRating"]
    for key in GOOGLE_RATING_REQUIRED:
        assert rating.get(key), key
    assert rating["ratingExplanation"] == "The contract notice gives a lower value."
    assert review["url"] == f"https://ex.org/c/claims/{VALUE}.html"
    assert review["datePublished"] == "2026-12-01"  # the verdict's date, not the article's
    assert review["author"]["name"] == "claimtrack maintainers"  # dataset.yaml's publisher
    assert review["sdPublisher"]["name"] == "claimtrack maintainers"
    assert review["sdLicense"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    item = review["itemReviewed"]
    for key in GOOGLE_ITEM_RECOMMENDED:
        assert item.get(key), key
    assert item["datePublished"] == "2021-10-26"
    assert item["firstAppearance"]["url"] == "https://news.example.fr/amazon"
    names = [a["name"] for a in item["author"]]
    assert names == ["Financial Times", "The archived article, in its own voice"]
    assert rating["alternateName"] in _visible_text(page)  # the label the page shows
    # no base URL: no page to point at, so the review is left out, and the build says so
    bare = run_cli("site", "worktree", "--root", full_text, "-o", tmp_path / "bare")
    assert "1 review(s) left out of the structured data" in bare.stderr
    (block,) = _parse(tmp_path / "bare" / "claims" / f"{VALUE}.html").blocks
    assert json.loads(block)["@type"] == "Claim"


def test_claim_text_is_shown_never_run(full_text: Path, tmp_path: Path, run_cli: RunCli) -> None:
    claim = full_text / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    start = text.index("statement:")
    end = text.index("\n", start)
    claim.write_text(text[:start] + f"statement: {json.dumps(HOSTILE)}" + text[end:], "utf-8")
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", full_text, "-o", out)
    for path in [out / "index.html", out / "claims" / f"{VALUE}.html"]:
        html = path.read_text("utf-8")
        assert "<script>alert" not in html and "<!-- &" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
        parsed = _parse(path)
        assert all(not s.startswith(("http", "//")) for s in parsed.sources)
        assert not [link for link in parsed.links if link.lower().startswith("javascript")]
    (block,) = _parse(out / "claims" / f"{VALUE}.html").blocks
    assert json.loads(block)["name"] == HOSTILE
    for part in (out / "search").rglob("*.js"):
        chunk = part.read_text("utf-8")
        assert "</script" not in chunk and HOSTILE.split(maxsplit=1)[0] not in chunk, part


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example", False),
        ("https://exa mple.org", False),
        ("https:///nohost", False),
    ],
)
def test_only_http_urls_become_links(url: str, kept: bool) -> None:
    assert (safe_url(url) == url) is kept


def test_search_ignores_accents_and_case() -> None:
    assert search_key("Élysée GRANDE-Bretagne") == "elysee grande-bretagne"


# ---------------------------------------------------------------- in a real browser


def _browser() -> Any:
    playwright = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return playwright


@pytest.fixture(params=[False])
def browser_page(site: Path, request: pytest.FixtureRequest) -> Any:
    """A page in chromium; the site's Content-Security-Policy is bypassed only where a test
    needs Playwright's own scripts (waiting on a condition, axe-core)."""
    sync_api = _browser()
    bypass = bool(getattr(request, "param", False))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900}, bypass_csp=bypass)
        problems: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: _note(problems, m.text, m.type in ("error", "warning")))
        page.on("pageerror", lambda e: problems.append(str(e)))
        # a request cut short by leaving the page (ERR_ABORTED) is no missing file
        page.on(
            "requestfailed",
            lambda r: _note(
                problems, f"failed: {r.url} {r.failure}", "ABORTED" not in str(r.failure)
            ),
        )
        page.on("request", lambda r: _note(outside, r.url, not r.url.startswith("file://")))
        page.problems = problems
        page.outside = outside
        yield page
        browser.close()


def _note(into: list[str], text: str, keep: bool) -> None:
    if keep:
        into.append(text)


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("CLAIMTRACK_SCREENSHOTS", "/tmp/claimtrack-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")  # shown with -rA and on failure: for a person to look


def _rows(page: Any) -> int:
    return int(page.locator("#claims tbody tr").count())


def test_the_site_runs_under_its_own_content_security_policy(site: Path, browser_page: Any) -> None:
    sync_api = _browser()
    page = browser_page
    page.goto((site / "index.html").as_uri())
    sync_api.expect(page.locator("#filters")).to_be_visible()  # its script ran
    page.fill("#f-text", "zzz no such words")
    sync_api.expect(page.locator("#count")).to_have_text("No claim matches.")
    assert page.problems == [] and page.outside == []


@pytest.mark.parametrize("browser_page", [True], indirect=True)
def test_filters_and_search_narrow_the_list(site: Path, browser_page: Any) -> None:
    page = browser_page
    page.goto((site / "index.html").as_uri())
    _shot(page, "index")
    total = _rows(page)
    assert total == len(list((site / "claims").glob("*.html")))
    page.fill("#f-text", "GRANDE-BRETAGNE")  # the original French words, any case
    page.wait_for_function("document.getElementById('count').textContent.includes('match')")
    assert 0 < _rows(page) < total
    page.fill("#f-text", "")
    page.select_option("#f-status", "not_checkable")
    page.wait_for_function("document.querySelectorAll('#claims tbody tr').length === 1")
    page.select_option("#f-status", "")
    page.fill("#f-text", "no such words anywhere")
    page.wait_for_function("document.getElementById('count').textContent === 'No claim matches.'")
    assert _rows(page) == 0
    assert page.problems == [] and page.outside == []


def test_a_claim_page_shows_its_timeline_and_quote(site: Path, browser_page: Any) -> None:
    page = browser_page
    page.goto((site / "claims" / f"{VALUE}.html").as_uri())
    _shot(page, "claim")
    assert page.locator(".timeline li").count() >= 1
    assert page.locator(".quote mark").first.is_visible()
    blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert json.loads(blocks[0])["@type"] == "Claim"  # nobody reviewed it: no ClaimReview
    page.locator(f'a[href*="seeds/{SEED}.html"]').first.click()
    assert page.locator("mark").count() >= 3
    assert page.problems == [] and page.outside == []


PAGE_TYPES = [
    "index.html",
    "status/reported/index.html",
    f"claims/{VALUE}.html",
    f"seeds/{SEED}.html",
    "stats.html",
    "methodology.html",
    "corrections.html",
    "release.html",
    "about.html",
]


@pytest.mark.parametrize("browser_page", [True], indirect=True)
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_accessibility_violations(
    name: str, width: int, site: Path, browser_page: Any
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto((site / name).as_uri())
    results = axe_module.Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == []
    page.emulate_media(color_scheme="dark")
    dark = axe_module.Axe().run(page)
    assert [
        v["id"] for v in dark.response["violations"] if v.get("impact") in ("serious", "critical")
    ] == []


OVERFLOWING = """() => Array.from(document.querySelectorAll('main *, header *, footer *'))
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1); })
  .filter(e => !e.closest('.table-wrap, pre'))
  .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))"""


@pytest.mark.parametrize("browser_page", [True], indirect=True)
def test_a_phone_sees_no_horizontal_scroll(site: Path, browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 740})
    for name in PAGE_TYPES:
        page.goto((site / name).as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, name
        assert page.evaluate(OVERFLOWING) == [], name  # no box runs past the screen
        smallest = page.evaluate(
            "Math.min(...Array.from(document.querySelectorAll('svg text'))"
            ".map(t => t.getBoundingClientRect().height), 99)"
        )
        assert smallest >= 10, name  # chart labels stay readable on a phone
        _shot(page, "phone-" + name.replace("/", "-").removesuffix(".html"))
    assert re.search(r"@media print", (site / "assets" / "site.css").read_text())


@pytest.mark.parametrize("version", RELEASES)
def test_every_published_release_has_a_site(version: str, tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "site"
    withdrawn = json.loads((REPO / "dataset" / "withdrawn.json").read_text("utf-8"))
    if "claims.jsonl" in withdrawn.get(version, {}).get("files", []):
        refused = run_cli("site", version, "--root", REPO, "-o", out, code=2)
        assert "withdrawn from publication" in refused.stderr
        return
    run_cli("site", version, "--root", REPO, "-o", out)  # older formats lack newer fields
    assert len(list((out / "claims").glob("*.html"))) == 13


def test_an_output_path_through_a_file_is_a_usage_error(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "file.txt").write_text("x")
    result = run_cli("site", "--root", REPO, "-o", tmp_path / "file.txt" / "site", code=2)
    assert "cannot make the output's folder" in result.stderr
    run_cli("site", "--root", REPO, "-o", tmp_path / "file.txt", code=2)
    assert (tmp_path / "file.txt").read_text() == "x"


def test_our_own_review_is_the_claim_page(full_text: Path, tmp_path: Path, run_cli: RunCli) -> None:
    run_cli(
        "claim", "status", VALUE, "confirmed", "--root", full_text, "--date", "2026-12-01",
        "--reason", "Amazon confirmed the range.",
    )  # fmt: skip
    claim = full_text / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8").replace(
        "  evidence:\n  - q1\n  - q3\n",
        "  evidence:\n  - q1\n  - q3\n  rated_by: Other Checkers\n  source_label: Unproven\n"
        "  url: https://elsewhere.example/x\n",
        1,
    )
    assert "rated_by: Other Checkers" in text
    claim.write_text(text, "utf-8")
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", full_text, "-o", out, "--base-url", "https://ours.org")
    blocks = [json.loads(b) for b in _parse(out / "claims" / f"{VALUE}.html").blocks]
    by_author = {b["author"]["name"]: b for b in blocks}
    assert by_author["Other Checkers"]["url"] == "https://elsewhere.example/x"  # theirs, kept
    assert by_author["Other Checkers"]["reviewRating"]["alternateName"] == "Unproven"
    ours = by_author["claimtrack maintainers"]
    assert ours["url"] == f"https://ours.org/claims/{VALUE}.html"
    assert ours["reviewRating"]["alternateName"] == "True"
    shown = _visible_text((out / "claims" / f"{VALUE}.html").read_text("utf-8"))
    assert "rated it Unproven" in shown and "rated it True" in shown


def test_a_source_allowing_nothing_shows_no_words(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    meta = dataset / "seeds" / f"{SEED}.yaml"
    meta.write_text(
        meta.read_text("utf-8").replace("redistribution: quotes_only", "redistribution: none")
    )
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", dataset, "-o", out)
    article = (REPO / "seeds" / f"{SEED}.txt").read_text("utf-8")
    quote = "un contrat estimé entre 500 millions de livres et un milliard de livres"
    assert quote in article
    for page in [*(out / "claims").glob("*.html"), *(out / "seeds").glob("*.html")]:
        html = page.read_text("utf-8")
        assert quote not in html, page.name  # not even the quotes' words
        assert all("ClaimReview" not in block for block in _parse(page).blocks)
    assert "words are withheld" in (out / "claims" / f"{VALUE}.html").read_text("utf-8")
    index = "".join(p.read_text("utf-8") for p in (out / "search").rglob("*.js"))
    assert quote not in index and '"milliard":' not in index  # not even as index terms


def test_archived_pages_are_never_served_as_html(tmp_path: Path, run_cli: RunCli) -> None:
    run_cli("init", tmp_path / "ds")
    root = publishable(tmp_path / "ds")
    page = (TESTS / "data" / "editing" / "article.html").read_text("utf-8")
    evil = tmp_path / "evil.html"
    evil.write_text(page.replace("</body>", "<script>document.title='ran'</script></body>"))
    run_cli(
        "seed", "add", evil, "--root", root, "--id", "evil", "--redistribution", "full_text",
        "--rights", "Ours to publish.",
    )  # fmt: skip
    run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
    out = tmp_path / "site"
    run_cli("site", "--root", root, "-o", out)
    served = sorted(p.relative_to(out / "files").as_posix() for p in (out / "files").rglob("*"))
    assert "seeds/evil.orig.html.txt" in served  # the original, offered as plain text
    assert not [name for name in served if name.endswith((".html", ".htm", ".svg", ".xml"))]
    release = (out / "release.html").read_text("utf-8")
    assert 'href="files/seeds/evil.orig.html.txt"' in release


@pytest.mark.parametrize("browser_page", [True], indirect=True)
def test_filters_live_in_the_address_and_survive_back(site: Path, browser_page: Any) -> None:
    page = browser_page
    page.goto((site / "index.html").as_uri())
    total = _rows(page)
    fetched: list[str] = []
    page.on("request", lambda r: _note(fetched, r.url.split("/search/")[-1], "/search/" in r.url))
    page.select_option("#f-status", "not_checkable")
    page.wait_for_function("document.querySelectorAll('#claims tbody tr').length === 1")
    assert "status=not_checkable" in page.url
    assert sorted(fetched) == ["d/0.js", "facets.js"]  # a filter reads no claim's text
    drawn = page.locator("#claims tbody tr").first
    assert drawn.locator("time").count() == 1 and drawn.locator(".badge").get_attribute("title")
    page.click("#claims tbody a")  # open the one claim, then come back
    page.wait_for_url("**/claims/*.html")
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#claims tbody tr').length === 1")
    assert page.input_value("#f-status") == "not_checkable"
    page.select_option("#f-status", "")  # a new entry: Back returns to the filtered view
    page.wait_for_function(f"document.querySelectorAll('#claims tbody tr').length === {total}")
    assert "status=" not in page.url
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#claims tbody tr').length === 1")
    shared = page.url  # the filtered view, opened from its address alone
    page.goto((site / "stats.html").as_uri())
    page.goto(shared)
    other = page
    other.wait_for_function("document.querySelectorAll('#claims tbody tr').length === 1")
    assert other.input_value("#f-status") == "not_checkable"
    assert page.problems == [] and page.outside == []


def test_without_javascript_a_reader_browses_by_status_and_page(site: Path) -> None:
    sync_api = _browser()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto((site / "index.html").as_uri())
        assert not page.locator("#filters").is_visible()  # a form that would do nothing
        page.click("nav.by-status >> text=not checkable")
        assert page.url.endswith("/status/not_checkable/index.html")
        assert _rows(page) == 1 and "Claims: not checkable" in page.title()
        page.click("#claims tbody a")
        assert "/claims/" in page.url
        browser.close()
    statuses = {p.parent.name for p in (site / "status").glob("*/index.html")}
    claims = list((site / "claims").glob("*.html"))
    listed = sum(
        (site / "status" / s / "index.html").read_text("utf-8").count('href="../../claims/')
        for s in statuses
    )
    assert listed == len(claims)  # every claim under exactly one status


def _count(page: Any, query: str) -> int:
    page.fill("#f-text", query)
    page.wait_for_function("(q) => document.getElementById('count').dataset.query === q", arg=query)
    text = page.locator("#count").text_content() or ""
    return 0 if text.startswith("No claim") else int(text.split()[0])


@pytest.mark.parametrize("browser_page", [True], indirect=True)
def test_search_finds_words_anywhere_in_any_field_and_language(
    site: Path, browser_page: Any
) -> None:
    page = browser_page
    page.goto((site / "index.html").as_uri())
    subjects = sum(
        "name: Amazon Web Services" in p.read_text("utf-8")
        for p in (REPO / "claims").glob("*.yaml")
    )
    assert _count(page, "Amazon Web Services") >= subjects > 3  # subjects are searched
    assert _count(page, "spokesperson said") >= 1  # words apart, in any order
    assert _count(page, "contrat amazon") >= 1  # the French quote and an English name
    accented = _count(page, "DONNÉES hébergées")
    assert accented >= 1 and _count(page, "donnees hebergees") == accented
    assert _count(page, "contr") >= _count(page, "contracts") >= 1  # prefixes, and stems
    assert _count(page, "zzzz nothing") == 0 and _rows(page) == 0
    assert _count(page, "agency") == _count(page, "agencies") >= 1  # singular finds plural
    assert _count(page, "the of") == 0  # only stop words: nothing to find, not everything
    _count(page, "Amazon Web Services")
    top = page.locator("#claims tbody tr a").first.text_content() or ""
    assert "Amazon" in top or "AWS" in top  # a statement that says it ranks first
    assert page.problems == [] and page.outside == []


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of a site with its inode and modification time: a file written again has
    another inode, whatever the clock says."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(folder).as_posix()] = (info.st_ino, info.st_mtime_ns)
    return found


# the pages that name the release (its version and date), and what the site copies of it
STAMPED = {
    ".claimtrack-site", "index.html", "stats.html", "release.html", "about.html",
    "methodology.html", "corrections.html",
}  # fmt: skip


def test_a_site_built_again_rewrites_only_the_pages_that_changed(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("release", "--root", dataset, "--version", "5.0.0", "--no-changelog")
    out = tmp_path / "site"
    run_cli("site", "--root", dataset, "-o", out)
    first = _stamps(out)
    again = run_cli("site", "--root", dataset, "-o", out)
    assert _stamps(out) == first  # the same release: not one file written again
    assert f"{len(first)} of the files unchanged" in again.stdout
    claim = dataset / "claims" / f"{VALUE}.yaml"
    text = claim.read_text("utf-8")
    claim.write_text(re.sub(r"(?m)^notes: .*$", "notes: 'Read again for a patch.'", text))
    run_cli("release", "--root", dataset, "--version", "5.0.1", "--no-changelog")
    run_cli("site", "--root", dataset, "-o", out)
    after = _stamps(out)
    assert "Read again for a patch." in (out / "claims" / f"{VALUE}.html").read_text("utf-8")
    changed = {rel for rel, stamp in after.items() if first.get(rel) != stamp}
    assert f"claims/{VALUE}.html" in changed and "index.html" in changed
    rest = changed - STAMPED - {f"claims/{VALUE}.html"}
    assert all(rel.startswith("files/") for rel in rest), sorted(rest)  # the release's files
    pages = [rel for rel in after if rel.startswith(("claims/", "seeds/", "search/"))]
    assert len(pages) > len(list((dataset / "claims").glob("*.yaml")))  # claims, seeds, search
    assert [rel for rel in pages if rel in changed] == [f"claims/{VALUE}.html"]


def test_a_release_that_cannot_make_a_site_leaves_the_old_site_as_it_was(
    tmp_path: Path, run_cli: RunCli
) -> None:
    releases = tmp_path / "ds" / "dataset"
    shutil.copytree(REPO / "dataset" / LATEST, releases / LATEST)
    (tmp_path / "ds" / "claims").mkdir()  # a dataset whose release is all a site needs
    out = tmp_path / "site"
    run_cli("site", LATEST, "--root", tmp_path / "ds", "-o", out)
    first = _stamps(out)
    claims = releases / LATEST / "claims.jsonl"
    record = json.loads(claims.read_bytes().splitlines()[-1])
    record["id"], record["status"] = "another-claim", "probably"  # the right shape, no status
    claims.write_bytes(claims.read_bytes() + json.dumps(record).encode() + b"\n")
    relist(releases / LATEST, "claims.jsonl")
    refused = run_cli("site", LATEST, "--root", tmp_path / "ds", "-o", out, code=2)
    lines = len(claims.read_bytes().splitlines())
    assert f"claims.jsonl line {lines}: /status" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    assert _stamps(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds", "site"]  # no staging left


def test_a_claim_page_is_the_same_in_every_release_that_leaves_the_claim_alone(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("release", "--root", dataset, "--version", "5.0.0", "--no-changelog")
    run_cli("site", "5.0.0", "--root", dataset, "-o", tmp_path / "a")
    other = dataset / "claims" / "aws-is-a-us-company.yaml"  # another claim changes
    other.write_text(re.sub(r"(?m)^notes: .*$", "notes: Patched.", other.read_text("utf-8")))
    run_cli("release", "--root", dataset, "--version", "5.0.1", "--no-changelog")
    run_cli("site", "5.0.1", "--root", dataset, "-o", tmp_path / "b")
    page = (tmp_path / "b" / "claims" / f"{VALUE}.html").read_text("utf-8")
    assert page == (tmp_path / "a" / "claims" / f"{VALUE}.html").read_text("utf-8")
    assert "5.0.1" not in page and "5.0.0" not in page  # it is cited by its own last change
    assert "last changed" in page and 'href="../release.html"' in page
    assert "5.0.1" in (tmp_path / "b" / "index.html").read_text("utf-8")
