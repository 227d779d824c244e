"""Building the static site of a release: every page rendered with Jinja2 (autoescaping on),
written into a folder beside the target and moved into place when complete.

The output is deterministic (the same release gives the same bytes: no clock, sorted input) and
self-contained (no CDN, no request outside the site: it works from `file://`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from claimtrack.release.card import counted
from claimtrack.release.claimreview import Publishing
from claimtrack.site import charts, pages
from claimtrack.site.lists import Lists
from claimtrack.site.output import MARKER, SiteWriter, checked_target, replace, served_name
from claimtrack.site.quotes import QuoteStore
from claimtrack.site.search import SearchIndex, facets
from claimtrack.site.seed_page import Quoted
from claimtrack.site.source import SiteError, SiteSource
from claimtrack.site.stream import ClaimIndex, Place, index_claims, raw_parts
from claimtrack.site.workers import (
    ClaimBatch,
    Run,
    SeedBatch,
    Written,
    claim_pages,
    environment,
    seed_pages,
    workers,
)
from claimtrack.store.policies import CORRECTIONS_FILE, METHODOLOGY_FILE

BATCH = 500  # claims (or sources) a worker writes the pages of at a time
TEXT_BYTES = 8 << 20  # characters of sources' texts in one batch of their pages
PARALLEL_FROM = 5000  # claims: below this, starting worker processes costs more than it saves
ASSETS = ("site.css", "site.js", "favicon.svg")


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    pages: int
    files: int
    bytes: int
    kept: int = 0  # files the previous site had as they are: linked, not written again
    notes: tuple[str, ...] = ()  # what the reader of the build should know (markup left out)


def markdown_renderer() -> MarkdownIt:
    """Markdown from the dataset (the CHANGELOG section, the policies) as HTML: raw HTML off, and
    links only to absolute http(s) URLs or anchors on the page (no `javascript:`, no
    protocol-relative `//host`), each opened without passing on the site (`rel`)."""
    markdown = MarkdownIt("commonmark", {"html": False})

    def valid(url: str) -> bool:
        return pages.safe_url(url) is not None or url.startswith("#")

    markdown.validateLink = valid  # type: ignore[method-assign]  # markdown-it-py's own hook

    def link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        href = tokens[idx].attrGet("href") or ""
        if not str(href).startswith("#"):
            tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
        return str(renderer.renderToken(tokens, idx, options, env))

    markdown.add_render_rule("link_open", link_open)
    return markdown


def _common(src: SiteSource, root: str, section: str, stamped: bool = True) -> dict[str, Any]:
    """What every page shows; ``stamped``: the release's version and date among it (a page of a
    claim, of a source or of a list leaves them out, so a release that changes none of what it
    shows leaves it as it is)."""
    about = src.about
    return {
        "stamped": stamped,
        "version": src.version,
        "date": src.date,
        "root": root,
        "section": section,
        "site_title": about.title if about and about.title else "Claims dataset",
        "about": about,
        "policies": src.policies,
    }


def _claim_batch(
    out: SiteWriter, src: SiteSource, publishing: Publishing, part: list[tuple[Place, bytes]]
) -> ClaimBatch:
    quoted = sorted({seed for place, _ in part for seed in place.seeds})
    seeds = {k: src.seeds[k] for k in quoted if k in src.seeds}
    texts = {k: text for k in quoted if (text := src.text(k)) is not None}
    common = _common(src, "../", "claim", stamped=False)  # a claim's page: nav marks none
    return ClaimBatch(out.folder, out.previous, src.version, common, publishing, part, seeds, texts)


class _Gathered:
    """What the main process keeps of the claims' batches as they come back, in site order:
    the lists and the search fed, each source's quotes, the counts."""

    def __init__(
        self, out: SiteWriter, lists: Lists, search: SearchIndex, quotes: QuoteStore
    ) -> None:
        self.out, self.lists, self.search, self.quotes = out, lists, search, quotes
        self.left_out = 0

    def take(self, done: Written) -> None:
        _counted(self.out, done)
        self.left_out += done.left_out
        for summary in done.claims:
            self.lists.add(summary.row)
            self.search.add(summary.row, summary.terms)
            self.quotes.add(summary.quotes)


def _counted(out: SiteWriter, done: Written) -> None:
    out.pages += done.pages
    out.files += done.files
    out.bytes += done.bytes
    out.kept += done.kept


def _claims(
    env: jinja2.Environment,
    out: SiteWriter,
    src: SiteSource,
    index: ClaimIndex,
    publishing: Publishing,
    pool: ProcessPoolExecutor | None,
    jobs: int,
    quotes: QuoteStore,
) -> int:
    """The pages made of claims, in one pass over them in site order: each claim's page (in
    ``jobs`` worker processes when there are many claims), the lists and the search files;
    each source's quotes kept in ``quotes``. Returns how many reviews were left out of the
    structured data for want of a page."""
    found = facets(index)
    lists = Lists(env, out, functools.partial(_common, src), found, index.statuses)
    gathered = _Gathered(out, lists, SearchIndex(out, found), quotes)
    with Run(claim_pages, gathered.take, pool, jobs) as run:
        for part in raw_parts(src.claims_data, index.order, BATCH):
            run.submit(_claim_batch(out, src, publishing, part))
    lists.finish()
    gathered.search.finish()
    return gathered.left_out


def _seeds(
    out: SiteWriter,
    src: SiteSource,
    quotes: QuoteStore,
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> None:
    """Each source's page, a batch of sources at a time (at most BATCH sources, and about
    TEXT_BYTES of their texts)."""
    common = _common(src, "../", "seeds", stamped=False)
    part: list[tuple[str, dict[str, Any], str | None, list[Quoted]]] = []
    size = 0
    with Run(seed_pages, functools.partial(_counted, out), pool, jobs) as run:
        for name in sorted(src.seeds):
            text = src.text(name)
            part.append((name, src.seeds[name], text, quotes.of(name)))
            size += len(text or "")
            if len(part) >= BATCH or size >= TEXT_BYTES:
                run.submit(SeedBatch(out.folder, out.previous, common, part))
                part, size = [], 0
        if part:
            run.submit(SeedBatch(out.folder, out.previous, common, part))


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _stats(env: jinja2.Environment, out: SiteWriter, src: SiteSource, index: ClaimIndex) -> None:
    statuses: Counter[str] = Counter()
    for status, n in index.statuses.items():
        statuses[pages.STATUS_WORDS.get(status, status)] += n
    kinds: Counter[str] = Counter()
    for kind, n in index.kinds.items():
        kinds[kind.replace("_", " ")] += n
    people, months = index.people, index.months
    by_period = charts.binned(dict(months))
    tables = [
        ("Claims by status", "claims", _ranked(statuses)),
        ("Claims by kind", "claims", _ranked(kinds)),
        ("Claims by asserter (top 20)", "claims", _ranked(people)[:20]),
        (
            "Status entries by period",
            "status entries",
            [(charts.period_words(k), n) for k, n in sorted(by_period.items())],
        ),
    ]
    html = env.get_template("stats.html").render(
        **_common(src, "", "stats"),
        total_words=counted(index.total, "claim"),
        seed_words=counted(len(src.seeds), "archived source"),
        change_words=counted(sum(months.values()), "status entry").replace("entrys", "entries"),
        statuses=charts.bar_chart("Claims by status", dict(statuses)),
        kinds=charts.bar_chart("Claims by kind", dict(kinds)),
        asserter_chart=charts.bar_chart("Claims by asserter (top 20)", dict(people)),
        timeline=charts.column_chart("Status entries by period", dict(months)),
        tables=tables,
    )
    out.write("stats.html", html)


def _own_entry(path: str, data: bytes | Path) -> dict[str, Any]:
    """The manifest as a file of the list (it holds every other one's hash, not its own)."""
    raw = data if isinstance(data, bytes) else data.read_bytes()
    return {
        "path": path,
        "served": path,
        "bytes": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "published": True,
        "why": "",
        "note": "It lists every other file with its size and SHA-256",
    }


def _release(env: jinja2.Environment, out: SiteWriter, src: SiteSource, total: int) -> None:
    listed = {str(e["path"]): e for e in src.manifest.get("files", [])}
    files = []
    for path, entry in sorted(listed.items()):
        published = path in src.files
        files.append(
            {
                "path": path,
                "served": served_name(path),
                "bytes": int(entry.get("bytes", 0)),
                "sha256": str(entry.get("sha256", "")),
                "published": published,
                "why": "" if published else "withdrawn from publication",
            }
        )
        if published:
            out.copy(f"files/{served_name(path)}", src.files[path])
    out.copy("files/manifest.json", src.files["manifest.json"])
    files.append(_own_entry("manifest.json", src.files["manifest.json"]))
    markdown = markdown_renderer()
    html = env.get_template("release.html").render(
        **_common(src, "", "release"),
        manifest=src.manifest,
        total=total,
        files=files,
        changelog=markdown.render(src.changelog) if src.changelog else "",
    )
    out.write("release.html", html)


def _policies(
    env: jinja2.Environment,
    out: SiteWriter,
    src: SiteSource,
    markdown: MarkdownIt,
    index: ClaimIndex,
) -> None:
    """The methodology and the corrections policy the release ships, and every correction of
    every claim on the corrections page."""
    corrections = list(index.corrections)
    corrections.sort(key=lambda pair: (str(pair[1].get("date", "")), str(pair[0]["id"])))
    for name, page, title in (
        (METHODOLOGY_FILE, "methodology.html", "Methodology"),
        (CORRECTIONS_FILE, "corrections.html", "Corrections"),
    ):
        text = src.policy(name)
        if text is None and name == METHODOLOGY_FILE:
            continue
        html = env.get_template("policy.html").render(
            **_common(src, "", page.removesuffix(".html")),
            title=title,
            body=markdown.render(text) if text else "",
            corrections=corrections if name == CORRECTIONS_FILE else None,
        )
        out.write(page, html)


def _about(env: jinja2.Environment, out: SiteWriter, src: SiteSource, total: int) -> None:
    """Who publishes the dataset, under what terms, how it is made and how to cite it."""
    common = _common(src, "", "about")
    about = src.about
    who = about.publisher.name if about and about.publisher else None
    year = str(src.date or "")[:4] or "n.d."
    link = about.base_url if about and about.base_url else ""
    citation = (f"{who}. " if who else "") + f"({year}). {common['site_title']} "
    citation += f"(Version {src.version}) [Data set]." + (f" {link}" if link else "")
    out.write(
        "about.html",
        env.get_template("about.html").render(**common, total=total, citation=citation),
    )


def _assets(out: SiteWriter) -> None:
    folder = Path(__file__).parent / "assets"
    for name in ASSETS:
        out.write(f"assets/{name}", (folder / name).read_bytes())


def _every_page(out: SiteWriter, src: SiteSource, base_url: str | None, jobs: int) -> int:
    """Write every file of the site; how many reviews were left out of the structured data."""
    env = environment()
    out.write(MARKER, f"claimtrack site of release {src.version}\n")
    _assets(out)
    index = index_claims(src.claims_data, src.version)
    publishing = Publishing.of(src.about, base_url=base_url)
    jobs = jobs if index.total >= PARALLEL_FROM else 1
    with workers(jobs) as pool, contextlib.closing(QuoteStore()) as quotes:
        left_out = _claims(env, out, src, index, publishing, pool, jobs, quotes)
        _policies(env, out, src, markdown_renderer(), index)
        _seeds(out, src, quotes, pool, jobs)
    _stats(env, out, src, index)
    _release(env, out, src, index.total)
    _about(env, out, src, index.total)
    return left_out


def build_site(
    src: SiteSource,
    target: Path,
    *,
    base_url: str | None = None,
    jobs: int = 1,
    releases: Path | None = None,
) -> SiteResult:
    """Write the site of ``src`` to ``target`` (built aside, then moved into place); ``jobs``
    worker processes write the claims' pages; ``releases``: the dataset's release folder, which
    no site may be written into."""
    if base_url is not None and pages.safe_url(base_url) is None:
        raise SiteError(
            f"--base-url {json.dumps(base_url)} is not an http(s) URL",
            hint="give the address the site will be published at, e.g. https://example.org/claims",
        )
    target = checked_target(target, releases)
    staging = target.with_name(f".{target.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    previous = target if (target / MARKER).is_file() else None  # a site: its files are reused
    out = SiteWriter(staging, previous)
    try:
        left_out = _every_page(out, src, base_url, jobs)
        replace(staging, target)
    except UnicodeError as error:  # a text no check caught: never a traceback
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(
            f"release {src.version} has a text that cannot be written as UTF-8: {str(error)[:200]}",
            hint=f"run `claimtrack verify {src.version}`; a site is built from the records "
            "claimtrack wrote",
        ) from None
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(
            f"cannot write the site: {error.strerror or error}",
            path=target,
            hint="give a folder you can write to (not one inside the site being replaced)",
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    notes: tuple[str, ...] = ()
    if left_out:
        notes = (
            f"{left_out} review(s) left out of the structured data: a ClaimReview needs the "
            "page's absolute URL (set base_url in dataset.yaml, or --base-url)",
        )
    return SiteResult(target, out.pages, out.files, out.bytes, out.kept, notes)
