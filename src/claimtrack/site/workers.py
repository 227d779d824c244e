"""The pages written a batch at a time, in this process or in worker processes: each claim's
page (its record read and checked there too), and each source's page.

A worker gets a batch's records as the release has them and only the sources they name, and
sends back what the rest of the site needs of each claim (its row in the lists, its search
terms, its quotes), so the main process never holds the records. A few batches are in the
workers' hands at a time: memory stays flat in the number of claims.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import jinja2

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.exc import WorkersStopped
from claimtrack.release.claimreview import Publishing
from claimtrack.site import claim_page, pages, seed_page, words
from claimtrack.site.output import SiteWriter
from claimtrack.site.search import claim_terms
from claimtrack.site.seed_page import Quoted
from claimtrack.site.source import SiteError
from claimtrack.site.stream import Place, checked, complete


@functools.cache
def environment() -> jinja2.Environment:
    """The templates (autoescaping on), compiled once per process."""
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


@dataclass
class Written:
    """What a batch wrote: pages, files, bytes, files left as they were, reviews left out of
    the structured data; for claims, what the rest of the site needs of each, in order; a
    record that is not a claim record, as (message, hint)."""

    pages: int = 0
    files: int = 0
    bytes: int = 0
    kept: int = 0
    left_out: int = 0
    claims: list[Summary] = field(default_factory=list)
    error: tuple[str, str] | None = None

    def count(self, out: SiteWriter) -> None:
        self.pages, self.files, self.bytes, self.kept = out.pages, out.files, out.bytes, out.kept


@dataclass(frozen=True)
class Summary:
    """A claim as the lists and the search show it (`row`), its search terms, its quotes."""

    row: dict[str, Any]
    terms: dict[str, int]
    quotes: list[tuple[str, Quoted]]


@dataclass(frozen=True)
class ClaimBatch:
    """Some claims' records, in site order, and the sources they name."""

    folder: Path
    previous: Path | None  # the site being replaced: its unchanged files are linked
    version: str
    common: dict[str, Any]
    publishing: Publishing
    records: list[tuple[Place, bytes]]
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


def row(claim: dict[str, Any]) -> dict[str, Any]:
    """What a list's row and the search show of a claim."""
    return {
        "id": claim["id"],
        "statement": claim.get("statement"),
        "status": claim["status"],
        "kind": claim["kind"],
        "attribution": [{"name": n, "role": "asserter"} for n in pages.asserters(claim)],
        "claim_date": pages.claim_date(claim) or None,
        "topics": list(claim.get("topics") or []),
    }


def claim_pages(batch: ClaimBatch) -> Written:
    """Check and write the pages of a batch of claims."""
    done = Written()
    try:
        _claim_pages(batch, done)
    except SiteError as error:
        done.error = (error.message, error.hint)
    return done


def _claim_pages(batch: ClaimBatch, done: Written) -> None:
    template = environment().get_template("claim.html")
    models = pages.seed_models(batch.seeds)
    out = SiteWriter(batch.folder, batch.previous)
    for place, raw in batch.records:
        record, model = checked(raw, place.number, batch.version)
        if record.get("id") != place.id:  # the file changed since the first pass read it
            raise SiteError(
                f"release {batch.version}: claims.jsonl changed while the site was built",
                hint="build the site again; a release's files never change",
            )
        claim = complete(record)
        data = pages.structured_data(claim, model, models, batch.publishing)
        done.left_out += data.left_out
        evidence, responding = claim_page.quote_groups(claim, pages.passages(claim, batch.texts))
        out.write(
            f"claims/{place.id}.html",
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
        quotes = list(seed_page.quotes_of(claim))
        done.claims.append(Summary(row(claim), claim_terms(claim), quotes))
    done.count(out)


@dataclass(frozen=True)
class SeedBatch:
    """Some sources, with their texts and the quotes of them."""

    folder: Path
    previous: Path | None
    common: dict[str, Any]
    seeds: list[tuple[str, dict[str, Any], str | None, list[Quoted]]]  # id, metadata, text


def seed_pages(batch: SeedBatch) -> Written:
    """Write the pages of a batch of sources."""
    template = environment().get_template("seed.html")
    out = SiteWriter(batch.folder, batch.previous)
    for seed_id, seed, text, quoted in batch.seeds:
        found = seed_page.passages(quoted)
        refs = ((q.claim_id, q.quote_id, q.start, q.end) for q in quoted)
        out.write(
            f"seeds/{seed_id}.html",
            template.render(
                **batch.common,
                seed=seed,
                segments=pages.segments(text, pages.seed_quotes(refs, text))
                if text is not None
                else [],
                passages=found,
                passage_numbers=seed_page.numbering(found),
            ),
        )
    done = Written()
    done.count(out)
    return done


B = TypeVar("B")
AHEAD = 4  # batches in the workers' hands (two per worker, four at least): few enough to hold


@contextlib.contextmanager
def workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """``jobs`` worker processes (none for one job), stopped on the way out."""
    if jobs <= 1:
        yield None
        return
    spawn = multiprocessing.get_context("spawn")  # fork is unsafe with Polars' threads
    pool = ProcessPoolExecutor(jobs, mp_context=spawn)
    try:
        yield pool
    except BrokenProcessPool:
        raise WorkersStopped("site's") from None
    finally:
        pool.shutdown(cancel_futures=True)


class Run(Generic[B]):
    """Batches done in order: in this process, or by ``pool`` with a few batches
    in hand. ``then`` gets each batch's result, in the order they were given; a batch
    whose records are not claim records stops the run."""

    def __init__(
        self,
        work: Callable[[B], Written],
        then: Callable[[Written], None],
        pool: ProcessPoolExecutor | None,
        jobs: int = 1,
    ) -> None:
        self.work, self.then, self.pool = work, then, pool
        self.limit = max(AHEAD, 2 * jobs)
        self.pending: deque[Future[Written]] = deque()

    def submit(self, batch: B) -> None:
        if self.pool is None:
            self._take(self.work(batch))
            return
        while len(self.pending) >= self.limit:
            self._take(self.pending.popleft().result())
        self.pending.append(self.pool.submit(self.work, batch))

    def _take(self, done: Written) -> None:
        if done.error is not None:
            raise SiteError(done.error[0], hint=done.error[1])
        self.then(done)

    def __enter__(self) -> Run[B]:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            while self.pending:
                self._take(self.pending.popleft().result())
        else:
            for pending in self.pending:
                pending.cancel()
