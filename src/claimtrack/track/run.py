"""`claimtrack match`: the known claims each passage of new sources repeats, and the likely
duplicates within a dataset. Nothing here writes to the dataset: the index lives in the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from claimtrack.edit.bounded import extract_bounded
from claimtrack.exc import InputError
from claimtrack.store.files import MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import Dataset
from claimtrack.tables.kept import TableStore
from claimtrack.tables.load import read, refresh_stored, resolve
from claimtrack.tables.query import Tables, as_lazy
from claimtrack.track.embeddings import Embedder
from claimtrack.track.index import ClaimIndex, Update
from claimtrack.track.match import Proposal, Scorer, propose
from claimtrack.track.text import Passage, passages

UNDETERMINED = "und"  # BCP 47: the document does not declare its language
MAX_FILES = 10_000  # in one folder given to `match`
READABLE = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".pdf", ".warc", ".gz"}


@dataclass(frozen=True)
class Source:
    """A document to match: its name (a path, or a seed id), its text, and its language."""

    name: str
    text: str
    language: str
    archived: bool  # a seed of the dataset: its id is `name`
    digest: str = ""  # SHA-256 of the file's bytes (for a file)


@dataclass
class MatchReport:
    """What `match` found: proposals best first, and what was read."""

    matches: list[Proposal]
    sources: list[Source]
    passages: int
    claims: int
    index: Update | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    recorded: int = 0  # proposals left out: the claim already quotes that passage

    @property
    def likely(self) -> list[Proposal]:
        return [m for m in self.matches if m.likely]


def _file(path: Path) -> Source:
    try:
        raw = read_bounded(path, MAX_SEED_BYTES * 4)
    except FileTooLarge as error:
        raise InputError(
            f"the file is {error.size:,} bytes; a source to match may have at most {error.limit:,}",
            path=path,
            hint="match the part of the document that matters",
        ) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=path) from None
    extracted = extract_bounded(path, raw, encoding=None, record_url=None)
    declared = extracted.declared.get("language")
    lang = (declared or UNDETERMINED).split("-")[0].lower()  # never guessed: see docs
    return Source(str(path), extracted.text, lang, False, hashlib.sha256(raw).hexdigest())


def files_in(path: Path) -> list[Path]:
    """A file, or the readable files of a folder (sorted; links and hidden files skipped)."""
    if not path.is_dir():
        if not path.exists():
            raise InputError("no such file or folder", path=path)
        return [path]
    found: list[Path] = []
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            full = Path(folder) / name
            if name.startswith(".") or full.is_symlink() or full.suffix.lower() not in READABLE:
                continue
            found.append(full)
            if len(found) > MAX_FILES:
                raise InputError(
                    f"more than {MAX_FILES:,} files to match in one folder",
                    path=path,
                    hint="match the folder in parts",
                )
    return found


def _seed(dataset: Dataset, seed_id: str, tables: Tables) -> Source:
    rows = as_lazy(tables["sources"]).filter(pl.col("seed_id") == seed_id).collect()
    if rows.height == 0:
        raise InputError(
            f"no archived seed `{seed_id}`",
            hint="give a seed id of this dataset (`claimtrack query --table sources`)",
        )
    row = rows.row(0, named=True)
    if not str(row["media_type"]).startswith("text/plain"):
        raise InputError(f"seed `{seed_id}` is not a text (it is {row['media_type']})")
    try:  # the metadata names its text file; validation checked the name is a plain file name
        raw = read_bounded(dataset.seed_text_path(row["text_file"]), MAX_SEED_BYTES)
        text = raw.decode("utf-8")
    except (OSError, FileTooLarge, UnicodeDecodeError) as error:
        raise InputError(f"cannot read seed `{seed_id}`'s text: {error}") from None
    return Source(seed_id, text, str(row["language"]).split("-")[0].lower(), True)


def match(
    root: Path,
    paths: list[Path],
    seeds: list[str],
    *,
    cache_dir: Path,
    jobs: int = 1,
    embeddings: Path | None = None,
) -> MatchReport:
    """Match files (text, HTML, PDF, WARC; folders of them) and archived seeds against the
    claims of the dataset at ``root``; the index is brought up to date first. ``embeddings``:
    the folder of a sentence-embedding model, for the meaning signal."""
    tables, index, update = _ready(root, cache_dir, jobs)
    dataset = Dataset(root)
    sources: list[Source] = [_seed(dataset, s, tables) for s in seeds]
    skipped: list[tuple[str, str]] = []
    for path in paths:
        for file in files_in(path):
            try:
                sources.append(_file(file))
            except InputError as error:
                if not path.is_dir():
                    raise
                skipped.append((str(file), str(error)))
    sources = [_as_seed(s, tables) for s in sources]
    report = _propose_all(tables, index, sources, _embedder(embeddings))
    report.index, report.skipped = update, skipped
    report.matches = _rooted(report.matches, root)
    return report


def match_sources(
    root: Path,
    sources: list[Source],
    *,
    cache_dir: Path,
    jobs: int = 1,
    embeddings: Path | None = None,
) -> MatchReport:
    """Match documents read already (archived seeds, with their texts)."""
    tables, index, update = _ready(root, cache_dir, jobs)
    report = _propose_all(tables, index, sources, _embedder(embeddings))
    report.index = update
    report.matches = _rooted(report.matches, root)
    return report


def _rooted(found: list[Proposal], root: Path) -> list[Proposal]:
    """The proposals' commands, run from elsewhere than the dataset's folder: with `--root`."""
    if root.resolve() == Path.cwd().resolve():
        return found
    flag = f" --root {shlex.quote(str(root))}"
    return [dataclasses.replace(p, command=p.command + flag) for p in found]


def _embedder(folder: Path | None) -> Embedder | None:
    return Embedder(folder) if folder is not None else None


def _propose_all(
    tables: Tables,
    index: ClaimIndex,
    sources: list[Source],
    embedder: Embedder | None,
) -> MatchReport:
    searcher = index.index().searcher()
    scorer = Scorer(searcher, embedder)
    found: list[Proposal] = []
    count = recorded = 0
    for source in sources:
        pieces = passages(source.text)
        count += len(pieces)
        quoted = _quoted(tables, source.name) if source.archived else {}
        for p in propose(
            searcher, pieces, source.name, archived=source.archived, scorer=scorer,
            language=source.language,
        ):  # fmt: skip
            spans = quoted.get(p.claim, [])
            if any(s < p.passage.end and p.passage.start < e for s, e in spans):
                recorded += 1
            else:
                found.append(p)
    found.sort(key=lambda p: (-p.score, p.source, p.passage.start, p.claim))
    return MatchReport(found, sources, count, index.size(), recorded=recorded)


def _as_seed(source: Source, tables: Tables) -> Source:
    """A file whose bytes are an archived seed's text is matched as that seed."""
    if source.archived:
        return source
    same = as_lazy(tables["sources"]).filter(pl.col("sha256") == source.digest).collect()
    if same.height == 0:
        return source
    return Source(same["seed_id"][0], source.text, source.language, True, source.digest)


def _quoted(tables: Tables, seed_id: str) -> dict[str, list[tuple[int, int]]]:
    """The spans of a seed each claim quotes already."""
    rows = as_lazy(tables["evidence"]).filter(pl.col("seed_id") == seed_id).collect()
    spans: dict[str, list[tuple[int, int]]] = {}
    for claim_id, start, end in rows.select("claim_id", "start", "end").iter_rows():
        if start is not None and end is not None:
            spans.setdefault(claim_id, []).append((start, end))
    return spans


def _ready(root: Path, cache_dir: Path, jobs: int) -> tuple[Tables, ClaimIndex, Update]:
    """The dataset's tables and its index, brought up to date. The working tree is validated
    and its stored tables patched on disk (or built, the first time); the index is then brought
    up to date from lazy scans of them, a batch at a time (a million claims stay in flat
    memory)."""
    source = resolve(root, None)
    if source.dataset is None:
        raise InputError("not a dataset folder (no claims/ here)", path=root)
    index = ClaimIndex.for_dataset(cache_dir, source.dataset.root)
    store = TableStore(cache_dir, source.dataset.root)
    kept = refresh_stored(source.dataset, cache_dir, jobs)
    scans = store.scan(kept) if kept is not None else None
    if kept is None or scans is None:  # no store to read (it could not be written)
        tables = read(source, jobs=jobs)
        return tables, index, index.update(tables)
    return scans, index, index.update(scans, kept.get("parquet"))


def duplicates(
    root: Path, *, cache_dir: Path, jobs: int = 1, embeddings: Path | None = None
) -> MatchReport:
    """Pairs of claims of the dataset that likely state one claim: each claim's statement and
    original wording matched against the others' own wording (not their quotes, which claims
    of one article share), each way: a pair is proposed when each likely states the other,
    with the weaker way's score. Pairs already joined by `same_as` are left out."""
    tables, index, update = _ready(root, cache_dir, jobs)
    searcher = index.index().searcher()
    # whole wordings only: quotes are shared by the claims of one article, and a wording that
    # holds two claims (`although AWS is American, the data stay in the UK`) is neither
    scorer = Scorer(searcher, _embedder(embeddings), strict=True)
    claims = as_lazy(tables["claims"]).select("claim_id", "statement", "original_text", "same_as")
    joined = {
        frozenset((a, b))
        for a, links in claims.select("claim_id", "same_as").collect().iter_rows()
        for b in links or []
    }
    best: dict[tuple[str, str], Proposal] = {}  # (from, to): the best of from's texts
    count = 0
    for claim_id, statement, original in _own_texts(claims):
        for text in filter(None, (statement, original)):
            count += 1
            piece = [Passage(0, len(text), text)]
            for p in propose(
                searcher, piece, claim_id, archived=True, scorer=scorer, exclude=claim_id
            ):
                way = (claim_id, p.claim)
                if frozenset(way) not in joined and (way not in best or p.score > best[way].score):
                    best[way] = p
    pairs = {  # one claim states the other, and the other the one: the weaker way is the score
        frozenset(way): min(p, best[way[::-1]], key=lambda q: q.score)
        for way, p in best.items()
        if way[::-1] in best and p.likely and best[way[::-1]].likely
    }
    found = sorted(
        (_pair(p, p.source) for p in pairs.values()), key=lambda p: (-p.score, p.source, p.claim)
    )
    return MatchReport(_rooted(found, root), [], count, update.total, update)


def _own_texts(claims: pl.LazyFrame) -> Iterator[tuple[str, str, str | None]]:
    """Each claim's id, statement and original wording, a batch at a time."""
    for batch in claims.select("claim_id", "statement", "original_text").collect_batches():
        yield from batch.iter_rows()


def _pair(p: Proposal, claim_id: str) -> Proposal:
    first, second = sorted((claim_id, p.claim))
    return Proposal(
        p.claim, p.statement, p.score, p.likely, p.relation, claim_id, p.passage, p.signals,
        f"claimtrack claim same-as {first} {second}",
    )  # fmt: skip
