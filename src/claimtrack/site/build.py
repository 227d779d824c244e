"""Building the static site of a release: every page rendered with Jinja2 (autoescaping on),
written into a folder beside the target and moved into place when complete.

The output is deterministic (the same release gives the same bytes: no clock, sorted input) and
self-contained (no CDN, no request outside the site: it works from `file://`).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markdown_it import MarkdownIt

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.release.card import counted
from claimtrack.release.claimreview import Publishing
from claimtrack.site import charts, claim_page, pages, seed_page, words
from claimtrack.site.output import MARKER, SiteWriter, checked_target, replace, served_name
from claimtrack.site.search import facets, search_index
from claimtrack.site.source import SiteError, SiteSource
from claimtrack.store.policies import CORRECTIONS_FILE, METHODOLOGY_FILE

PAGE_SIZE = 100
PARALLEL_FROM = 5000  # claims: below this, starting worker processes costs more than it saves
ASSETS = ("site.css", "site.js", "favicon.svg")


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    pages: int
    files: int
    bytes: int
    notes: tuple[str, ...] = ()  # what the reader of the build should know (markup left out)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        safe_url=pages.safe_url,
        asserters=pages.asserters,
        claim_date=pages.claim_date,
        words=pages.STATUS_WORDS,
        definitions=pages.STATUS_DEFINITIONS,
        plain=words.plain,
        date_words=words.date_words,
        size_words=words.size_words,
        withheld="(withheld: it quotes words the source allows no one to publish)",
        tool_version=TOOL_VERSION,
    )
    return env


def _index(
    env: jinja2.Environment, out: SiteWriter, src: SiteSource, facets: dict[str, Any]
) -> None:
    """The list of claims, a page at a time; the same lists by status, which a reader without
    JavaScript browses (with it, the filters and the search run over every claim)."""
    claims = src.claims
    _listing(env, out, src, facets, claims, "", None)
    for status in facets["statuses"]:
        chosen = [c for c in claims if c["status"] == status]
        _listing(env, out, src, facets, chosen, f"status/{status}/", status)
    search_index(out, claims)


def _listing(
    env: jinja2.Environment,
    out: SiteWriter,
    src: SiteSource,
    facets: dict[str, Any],
    claims: list[dict[str, Any]],
    folder: str,
    status: str | None,
) -> None:
    """The pages of one list of claims under ``folder`` (`index.html`, then `list/N.html`)."""
    count = max(1, -(-len(claims) // PAGE_SIZE))
    template = env.get_template("index.html")
    depth = folder.count("/")
    for page in range(1, count + 1):
        root = "../" * (depth + (page > 1))

        def href(n: int, root: str = root) -> str:
            return f"{root}{folder}index.html" if n == 1 else f"{root}{folder}list/{n}.html"

        rows = claims[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        html = template.render(
            **_common(src, root, "claims" if status is None else "status"),
            rows=rows,
            page=page,
            pages=count,
            page_href=href,
            total=len(claims),
            first=(page - 1) * PAGE_SIZE + 1 if rows else 0,
            last=(page - 1) * PAGE_SIZE + len(rows),
            facets=facets,
            status=status,
        )
        out.write(f"{folder}index.html" if page == 1 else f"{folder}list/{page}.html", html)


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


def _common(src: SiteSource, root: str, section: str) -> dict[str, Any]:
    about = src.about
    return {
        "version": src.version,
        "date": src.date,
        "root": root,
        "section": section,
        "site_title": about.title if about and about.title else "Claims dataset",
        "about": about,
        "policies": src.policies,
    }


@dataclass(frozen=True)
class _ClaimBatch:
    """What a worker needs to write some claims' pages: them, and only the seeds they quote."""

    folder: Path
    common: dict[str, Any]
    publishing: Publishing
    claims: list[dict[str, Any]]
    seeds: dict[str, dict[str, Any]]
    texts: dict[str, str]


def _link_languages(claim: dict[str, Any], seeds: dict[str, dict[str, Any]]) -> list[str]:
    """The language of each attribution link's own words (`as_described`): its source's."""
    original = claim.get("original") or {}
    fallback = str(original.get("language") or "")
    return [
        str(seeds[link["seed"]].get("language")) if link.get("seed") in seeds else fallback
        for link in claim.get("attribution") or []
    ]


def _claim_pages(batch: _ClaimBatch) -> tuple[int, int, int, int]:
    """Write the pages of a batch of claims; (pages, files, bytes, reviews left out of the
    markup) written."""
    template = _environment().get_template("claim.html")
    models = pages.seed_models(batch.seeds)
    out = SiteWriter(batch.folder)
    left_out = 0
    for claim in batch.claims:
        data = pages.structured_data(claim, models, batch.publishing)
        left_out += data.left_out
        evidence, responding = claim_page.quote_groups(claim, pages.passages(claim, batch.texts))
        out.write(
            f"claims/{claim['id']}.html",
            template.render(
                **batch.common,
                claim=claim,
                seeds=batch.seeds,
                evidence=evidence,
                responding=responding,
                labels=claim_page.labels(claim),
                byline=claim_page.byline(claim, batch.seeds),
                appearances=claim_page.appearances(claim, batch.seeds),
                value=words.value_words(claim.get("value")),
                facts=pages.value_facts(claim.get("value")),
                link_languages=_link_languages(claim, batch.seeds),
                cite=claim_page.citation(claim, batch.common, batch.publishing),
                description=claim_page.description(
                    claim, pages.STATUS_WORDS.get(claim["status"], claim["status"])
                ),
                reviews=data.reviews,
                json_ld=data.blocks,
            ),
        )
    return out.pages, out.files, out.bytes, left_out


def _batches(
    out: SiteWriter, src: SiteSource, publishing: Publishing, count: int
) -> Iterator[_ClaimBatch]:
    size = max(1, -(-len(src.claims) // count))
    common = _common(src, "../", "claim")  # a claim's page: not the index, nav marks none
    for i in range(0, len(src.claims), size):
        part = src.claims[i : i + size]
        quoted = {str(q.get("seed")) for c in part for q in c.get("evidence", [])}
        quoted |= {str(a.get("seed")) for c in part for a in c.get("attribution", [])}
        seeds = {k: v for k, v in src.seeds.items() if k in quoted}
        texts = {k: v for k, v in src.texts.items() if k in quoted}
        yield _ClaimBatch(out.folder, common, publishing, part, seeds, texts)


def _claims(out: SiteWriter, src: SiteSource, publishing: Publishing, jobs: int) -> int:
    """Every claim's page; in ``jobs`` worker processes when there are many claims. Returns
    how many reviews were left out of the structured data for want of a page."""
    if jobs <= 1 or len(src.claims) < PARALLEL_FROM:
        done = [_claim_pages(b) for b in _batches(out, src, publishing, 1)]
    else:
        spawn = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
        with ProcessPoolExecutor(jobs, mp_context=spawn) as pool:
            done = list(pool.map(_claim_pages, _batches(out, src, publishing, jobs * 4)))
    left_out = 0
    for written, files, size, missing in done:
        out.pages += written
        out.files += files
        out.bytes += size
        left_out += missing
    return left_out


def _seeds(env: jinja2.Environment, out: SiteWriter, src: SiteSource) -> None:
    template = env.get_template("seed.html")
    by_seed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for claim in src.claims:  # one pass: each seed's quotes, in claim order
        for quote in claim.get("evidence", []):
            by_seed.setdefault(str(quote.get("seed")), []).append((str(claim["id"]), quote))
    claims = {str(c["id"]): c for c in src.claims}
    for seed_id, seed in sorted(src.seeds.items()):
        text = src.texts.get(seed_id)
        quoted = by_seed.get(seed_id, [])
        found = seed_page.passages(quoted, claims)
        out.write(
            f"seeds/{seed_id}.html",
            template.render(
                **_common(src, "../", "seeds"),
                seed=seed,
                segments=pages.segments(text, pages.seed_quotes(quoted, text))
                if text is not None
                else [],
                passages=found,
                passage_numbers=seed_page.numbering(found),
            ),
        )


def _stats(env: jinja2.Environment, out: SiteWriter, src: SiteSource) -> None:
    claims = src.claims
    statuses = Counter(pages.STATUS_WORDS.get(str(c["status"]), str(c["status"])) for c in claims)
    kinds = Counter(str(c["kind"]).replace("_", " ") for c in claims)
    people = Counter(a for c in claims for a in pages.asserters(c))
    months = Counter(str(h.get("date", ""))[:7] for c in claims for h in c.get("history", []))
    by_period = charts.binned(dict(months))
    tables = [
        ("Claims by status", "claims", sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))),
        ("Claims by kind", "claims", sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        (
            "Claims by asserter (top 20)",
            "claims",
            sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:20],
        ),
        (
            "Status entries by period",
            "status entries",
            [(charts.period_words(k), n) for k, n in sorted(by_period.items())],
        ),
    ]
    html = env.get_template("stats.html").render(
        **_common(src, "", "stats"),
        total_words=counted(len(claims), "claim"),
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


def _release(env: jinja2.Environment, out: SiteWriter, src: SiteSource) -> None:
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
        total=len(src.claims),
        files=files,
        changelog=markdown.render(src.changelog) if src.changelog else "",
    )
    out.write("release.html", html)


def _policies(
    env: jinja2.Environment, out: SiteWriter, src: SiteSource, markdown: MarkdownIt
) -> None:
    """The methodology and the corrections policy the release ships, and every correction of
    every claim on the corrections page."""
    corrections = [
        (claim, entry) for claim in src.claims for entry in claim.get("corrections") or []
    ]
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


def _about(env: jinja2.Environment, out: SiteWriter, src: SiteSource) -> None:
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
        env.get_template("about.html").render(**common, total=len(src.claims), citation=citation),
    )


def _assets(out: SiteWriter) -> None:
    folder = Path(__file__).parent / "assets"
    for name in ASSETS:
        out.write(f"assets/{name}", (folder / name).read_bytes())


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
    out = SiteWriter(staging)
    markdown = markdown_renderer()
    left_out = 0
    try:
        env = _environment()
        out.write(MARKER, f"claimtrack site of release {src.version}\n")
        _assets(out)
        _index(env, out, src, facets(src.claims))
        publishing = Publishing.of(src.about, base_url=base_url)
        left_out = _claims(out, src, publishing, jobs)
        _policies(env, out, src, markdown)
        _seeds(env, out, src)
        _stats(env, out, src)
        _release(env, out, src)
        _about(env, out, src)
        replace(staging, target)
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
    return SiteResult(target, out.pages, out.files, out.bytes, notes)
