"""A claim page as a reader expects it: the verdict and who said it under the headline, values
and dates in words, labels instead of ids, the claim's evidence apart from the quotes behind a
response, the rights said once, how to cite it, and its description for link previews."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ..conftest import REPO, RunCli, redistribute

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
UK = "agency-data-held-only-in-uk"
DECLINED = "amazon-and-uk-authorities-declined-to-comment"


@pytest.fixture
def quotes_only(dataset: Path, tmp_path: Path, run_cli: RunCli) -> Path:
    """The site of the working tree, its source's text quotable but not published."""
    redistribute(dataset, "quotes_only")
    out = tmp_path / "site"
    run_cli("site", "worktree", "--root", dataset, "-o", out, "--base-url", "https://ex.org/c")
    return out


def _page(site: Path, claim_id: str) -> str:
    return (site / "claims" / f"{claim_id}.html").read_text("utf-8")


def _text(fragment: str) -> str:
    """What a reader sees of some HTML: tags and scripts gone, entities read, spaces folded."""
    fragment = re.sub(r"<script.*?</script>", " ", fragment, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_the_verdict_and_who_said_it_come_right_under_the_headline(quotes_only: Path) -> None:
    main = _main(_page(quotes_only, VALUE))
    marks = ("<h1", '<div class="verdict', '<p class="byline"', "<h2")
    order = [main.index(mark) for mark in marks]
    assert order == sorted(order)
    verdict = _text(main[order[1] : order[2]])
    assert verdict.startswith("reported since 27 October 2021")
    assert "not confirmed by anyone" in verdict and "`" not in verdict
    byline = _text(main[order[2] : order[3]])
    assert byline.startswith("Said by Financial Times and The archived article")
    assert "27 October 2021" in byline and "when it was first made is not known" in byline


def test_values_and_dates_read_as_words(quotes_only: Path) -> None:
    page = _page(quotes_only, VALUE)
    text = _text(_main(page))
    assert "£500m–£1bn over 10 years, estimated" in text
    assert "£500,000,000 (GBP) to £1,000,000,000 (GBP)" in text
    assert "P10Y" not in text and "ISO 8601" not in text and "estimate yes" not in text
    assert '<time datetime="2021-10-27">27 October 2021</time>' in page
    assert not re.search(r">\d{4}-\d{2}-\d{2}(T[0-9:]+Z?)?<", page)  # no raw date shown
    uk = _text(_main(_page(quotes_only, UK)))
    assert "only in the United Kingdom (GB)" in uk


def test_readers_see_labels_not_ids(quotes_only: Path) -> None:
    main = _main(_page(quotes_only, VALUE))
    assert "Quantity claim" in _text(main[: main.index("<h1")])
    assert VALUE not in _text(main[: main.index('class="cite"')])  # the id is in the citation
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", main, flags=re.DOTALL)
    assert captions and all(_text(c).startswith("Quote ") for c in captions)
    cites = re.findall(r'<p class="cites">(.*?)</p>', main, flags=re.DOTALL)
    assert cites and all("q1" not in _text(c) and "quote" in _text(c) for c in cites)


def test_evidence_and_the_quotes_behind_responses_are_apart(quotes_only: Path) -> None:
    main = _main(_page(quotes_only, DECLINED))
    quotes = main[main.index('id="h-quotes"') : main.index('id="h-responses"')]
    responses = main[main.index('id="h-responses"') :]
    assert "Quotes in the responses" in responses
    in_quotes = set(re.findall(r'<figure class="quote" id="([^"]+)"', quotes))
    in_responses = set(re.findall(r'<figure class="quote" id="([^"]+)"', responses))
    assert in_quotes and not in_quotes & in_responses
    value = _main(_page(quotes_only, VALUE))  # its rights sentence, said once for all quotes
    assert value.count("are shown without their context") == 1
    assert len(re.findall(r'<figure class="quote"', value)) > 1


def test_a_claim_can_be_cited_and_previewed(quotes_only: Path, tmp_path: Path) -> None:
    page = _page(quotes_only, VALUE)
    link = f"https://ex.org/c/claims/{VALUE}.html"
    assert f'<link rel="canonical" href="{link}">' in page
    assert f'<meta property="og:url" content="{link}">' in page
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description and "Status: reported since 27 October 2021" in description.group(1)
    cite = _text(page[page.index('class="cite"') :])
    assert "claimtrack maintainers. (20" in cite and "[Claim record " + VALUE in cite
    assert "@misc{" + VALUE in cite and "author = {{claimtrack maintainers}}" in cite
    assert link in cite


def test_without_an_address_no_permalink_is_made_up(tmp_path: Path, run_cli: RunCli) -> None:
    out = tmp_path / "site"
    run_cli("site", "1.3.0", "--root", REPO, "-o", out)
    page = _page(out, VALUE)
    assert 'rel="canonical"' not in page and "og:url" not in page
    assert "there is no permanent link" in _text(page)


def test_the_nav_marks_no_section_on_a_claim_and_the_favicon_is_served(quotes_only: Path) -> None:
    page = _page(quotes_only, VALUE)
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert "aria-current" not in nav
    assert '<link rel="icon" href="../assets/favicon.svg"' in page
    assert (quotes_only / "assets" / "favicon.svg").is_file()
    index = (quotes_only / "index.html").read_text("utf-8")
    assert 'aria-current="page">Claims<' in index


def test_the_source_s_own_words_carry_their_language(quotes_only: Path) -> None:
    page = _page(quotes_only, VALUE)
    assert re.search(r'described as “<span lang="fr">[^<]+</span>”', page)
    titles = re.findall(r'<a href="../seeds/[^"]+" lang="([a-z-]+)">Amazon : un accord', page)
    assert titles and set(titles) == {"fr"}  # the French title, wherever it is named


@pytest.fixture
def full_text_site(dataset: Path, tmp_path: Path, run_cli: RunCli) -> Path:
    redistribute(dataset, "full_text")
    out = tmp_path / "site-full"
    run_cli("site", "worktree", "--root", dataset, "-o", out)
    return out


def test_a_source_lists_each_passage_once_with_the_claims_quoting_it(
    full_text_site: Path,
) -> None:
    page = (full_text_site / "seeds" / "000_41d59578b16f00ef.html").read_text("utf-8")
    cited = page[page.index('id="h-cited"') :]
    items = re.findall(r'<li id="passage-(\d+)">(.*?)</ul></li>', cited, flags=re.DOTALL)
    words = [re.search(r"<q[^>]*>(.*?)</q>", body, flags=re.DOTALL) for _, body in items]
    shown = [html.unescape(w.group(1)) for w in words if w]
    assert len(shown) == len(set(shown)) > 5  # each passage once
    assert not any(w[0] in "«“\"'" for w in shown)  # the page's own marks, not doubled
    claims = re.findall(r'<a href="../claims/[^"]+">(.*?)</a> \((quote \d+)\)', cited)
    assert claims and all(not re.fullmatch(r"[a-z0-9-]+", text) for text, _ in claims)
    refs = set(re.findall(r'<a href="#passage-(\d+)">\[\d+\]</a>', page))
    assert refs and refs <= {n for n, _ in items}  # every mark leads to a passage listed
    facts = _text(page[page.index('<dl class="facts">') : page.index("</dl>")])
    assert "Publisher not known: the archived copy does not state it" in facts
    assert "Published 27 October 2021" in facts


def test_statistics_read_as_words_and_bin_long_series() -> None:
    from claimtrack.site.charts import bar_chart, column_chart, period_words  # noqa: PLC0415

    months = {f"{2010 + m // 12}-{m % 12 + 1:02d}": 1 for m in range(120)}  # ten years
    chart = column_chart("Status entries", months)
    assert len(chart.columns) == 10 and chart.columns[0].title == "2010"  # binned by year
    quarters = column_chart("x", {f"2021-{m:02d}": 1 for m in range(1, 13)} | {"2022-01": 2})
    assert len(quarters.columns) == 13 and quarters.columns[0].title == "Jan 2021"
    drawn = [c.label for c in quarters.columns if c.label]
    assert 0 < len(drawn) < len(quarters.columns)  # labels thinned so they do not overlap
    assert all(len(label) <= 8 for label in drawn)  # `Oct 2021`: no cut year
    assert period_words("2021-10") == "Oct 2021" and period_words("2021-Q4") == "Q4 2021"
    long = bar_chart("Asserters", {"A name much longer than any label column could hold": 3})
    assert long.bars[0].title.startswith("A name much longer") and long.bars[0].label


def test_the_statistics_page_counts_what_it_says(quotes_only: Path) -> None:
    page = (quotes_only / "stats.html").read_text("utf-8")
    text = _text(page)
    assert "13 claims from 1 archived source;" in text and "sources" not in text.split(";")[0]
    assert "not_checkable" not in text and "not checkable" in text
    assert '<th scope="col">status entries</th>' in page
    assert "021-10" not in text.replace("2021-10", "")


def test_the_release_page_lists_every_file_with_the_manifest(
    tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "site"
    run_cli("site", "1.3.0", "--root", REPO, "-o", out)
    page = (out / "release.html").read_text("utf-8")
    assert '<a href="files/manifest.json" download>manifest.json</a>' in page
    assert "It lists every other file with its size and SHA-256" in page
    assert "<table" not in page[page.index('id="h-files"') :]  # a list: readable on a phone
    assert 'class="preview"' not in page and "claimtrack verify 1.3.0/" in page


def test_a_site_of_the_working_tree_says_it_is_a_preview(quotes_only: Path) -> None:
    for name in ("index.html", "release.html", f"claims/{VALUE}.html"):
        page = (quotes_only / name).read_text("utf-8")
        assert "Preview of the working tree: not a release" in page, name
    release = (quotes_only / "release.html").read_text("utf-8")
    assert "verify worktree" not in release and "nothing to verify yet" in release
    source = next((quotes_only / "seeds").glob("*.html")).read_text("utf-8")
    assert "this preview is no release" in source and "the release's page" not in source


def test_an_about_page_says_who_publishes_and_how_to_cite(quotes_only: Path) -> None:
    page = (quotes_only / "about.html").read_text("utf-8")
    text = _text(_main(page))
    assert "Published by claimtrack maintainers" in text and "CC-BY-4.0" in text
    assert "claimtrack maintainers. (" in text and "[Data set]" in text
    index = (quotes_only / "index.html").read_text("utf-8")
    assert '<a href="about.html">About</a>' in index
    assert 'aria-current="page">About<' in page


def test_the_release_page_shows_its_changelog_without_a_stray_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    out = tmp_path / "site"
    run_cli("site", "1.3.0", "--root", REPO, "-o", out)
    page = (out / "release.html").read_text("utf-8")
    changelog = page[page.index('<div class="changelog">') :]
    assert not changelog.startswith('<div class="changelog"><ul>\n<li>2026')  # the heading's date
    assert changelog.startswith('<div class="changelog"><h3>')


def test_context_is_cut_between_words_and_phone_cards_keep_their_labels(
    full_text_site: Path,
) -> None:
    from claimtrack.site.pages import CONTEXT_CHARS, _context  # noqa: PLC0415

    text = "word " * 200 + "QUOTE" + " other" * 200
    start = text.index("QUOTE")
    before, after = _context(text, start, start + 5)
    assert before.startswith("word") and after.endswith("other")
    assert len(before) <= CONTEXT_CHARS and len(after) <= CONTEXT_CHARS
    index = (full_text_site / "index.html").read_text("utf-8")
    assert 'data-label="Kind"' in index and 'data-label="Date"' in index


def test_long_titles_end_with_an_ellipsis_between_words(quotes_only: Path) -> None:
    title = re.search(r"<title>(.*?) · ", _page(quotes_only, VALUE)).group(1)  # type: ignore[union-attr]
    assert title.endswith("…") and "..." not in title
    assert title[:-1].rstrip() == title[:-1]  # cut at a space, not inside a word
