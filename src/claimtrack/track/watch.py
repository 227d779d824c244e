"""`claimtrack watch`: new items of RSS/Atom feeds and folders archived once, matched, queued.

Each feed (a URL or a file, parsed by feedparser) names items by link; each item's page is
fetched over http(s) only, archived as a seed (`seed add`'s own archiving: the bytes are kept,
the text extracted), and matched against the known claims. A folder's documents are archived
the same way. An item is archived once: its bytes are hashed, and bytes archived already are
not archived again; the dataset's `.claimtrack/watched.json` remembers which item gave which
seed, so a feed's old items are not fetched again.

The result is a review queue: likely appearances of known claims, and possible status changes
(a passage that contradicts a claim), for an editor to record or dismiss. Nothing is recorded
in a claim.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import pydantic

from claimtrack.edit.archive import SourceInfo, archive_source
from claimtrack.edit.bounded import extract_bounded
from claimtrack.exc import AlreadyArchived, ClaimtrackError, InputError
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.files import MAX_SEED_BYTES, read_bounded
from claimtrack.store.install import VENDOR_DIR
from claimtrack.store.layout import Dataset
from claimtrack.store.yaml_read import YamlProblem, load_bytes
from claimtrack.track.fetching import MAX_FETCH, fetch, internal
from claimtrack.track.run import MatchReport, Source, files_in, match_sources

STATE = "watched.json"
UNDETERMINED = "und"  # BCP 47: the language is not known
MAX_ITEMS = 500  # items read from one feed per run


@dataclass(frozen=True)
class Item:
    """One new document: where it came from and the seed it was archived as."""

    origin: str  # the feed entry's link, or the file's path
    seed: str
    title: str | None
    text: str
    language: str


@dataclass
class WatchResult:
    """What a watch run did: the items archived, those seen before, the matches, the
    problems."""

    archived: list[Item]
    seen: int
    report: MatchReport
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status_changes(self) -> list[Any]:
        return [m for m in self.report.matches if m.relation == "contradicts"]


@dataclass
class _State:
    """What `watch` remembers in `.claimtrack/watched.json`: each item seen (a feed entry's id,
    or a file's hash) and its seed, and the seeds archived but not yet in a written queue."""

    items: dict[str, str] = field(default_factory=dict)
    pending: dict[str, dict[str, str | None]] = field(default_factory=dict)  # seed -> origin

    @classmethod
    def load(cls, dataset: Dataset) -> _State:
        try:
            data = json.loads((dataset.root / VENDOR_DIR / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        if "items" not in data:  # the first format: items only
            return cls({str(k): str(v) for k, v in data.items()})
        items, pending = data.get("items"), data.get("pending")
        return cls(
            {str(k): str(v) for k, v in items.items()} if isinstance(items, dict) else {},
            {str(k): dict(v) for k, v in pending.items() if isinstance(v, dict)}
            if isinstance(pending, dict)
            else {},
        )

    def save(self, dataset: Dataset) -> None:
        data = {"items": self.items, "pending": self.pending}
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (dataset.root / VENDOR_DIR).mkdir(exist_ok=True)
        atomic_write_bytes(dataset.root / VENDOR_DIR / STATE, text.encode("utf-8"))

    def archived(self, dataset: Dataset, key: str, item: Item) -> None:
        """An item archived: remembered, and pending until a queue lists it (kept at once, so
        that a run that fails later still queues it next time)."""
        self.items[key] = item.seed
        self.pending[item.seed] = {"origin": item.origin, "title": item.title}
        self.save(dataset)


def _entries(feed: str, timeout: float) -> list[dict[str, Any]]:
    """The entries of a feed (a URL, or a file the editor named)."""
    if re.match(r"^https?://", feed):
        raw = fetch(feed, timeout, private=True)  # the editor named it
    else:
        path = Path(feed)
        if not path.is_file():
            raise InputError("no such feed file", path=path)
        raw = path.read_bytes()[: MAX_FETCH + 1]
    parsed = feedparser.parse(raw)  # bytes: feedparser never fetches anything itself
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{feed} is not an RSS or Atom feed: {parsed.get('bozo_exception')}")
    language = parsed.feed.get("language")
    entries = []
    for entry in parsed.entries[:MAX_ITEMS]:
        entries.append(
            {
                "link": entry.get("link"),
                "id": entry.get("id") or entry.get("link"),
                "title": entry.get("title"),
                "published": _day(entry.get("published_parsed") or entry.get("updated_parsed")),
                "language": language,
            }
        )
    return entries


def _day(value: Any) -> str | None:
    """An entry's date as YYYY-MM-DD, as feedparser read it from the feed (never guessed)."""
    if isinstance(value, time.struct_time) and 1000 <= value.tm_year <= 9999:
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


def _archive(
    dataset: Dataset, path: Path, raw: bytes, info: SourceInfo, origin: str
) -> tuple[Item | None, str | None]:
    """Archive one document: (the item, None), or (None, the seed it is already), or raise
    InputError. A language neither given nor declared is `und` (undetermined): never guessed."""
    extracted = extract_bounded(path, raw, encoding=None, record_url=None)
    language = info.language or extracted.declared.get("language") or UNDETERMINED
    info = dataclasses.replace(info, language=language)
    try:  # a dataset listed anew: the seeds archived a moment ago are in it
        archived = archive_source(Dataset.open(dataset.root), path, info)
    except AlreadyArchived as error:
        return None, error.seed_id
    except pydantic.ValidationError as error:
        raise InputError(
            f"what the item declares is not valid: {error.errors()[0]['msg']}"
        ) from None
    title = info.title or extracted.declared.get("title")
    base = language.split("-")[0].lower()
    return Item(origin, archived.seed_id, title, extracted.text, base), None


def watch(
    root: Path,
    feeds: list[str],
    *,
    cache_dir: Path,
    language: str | None = None,
    timeout: float = 30.0,
    jobs: int = 1,
    embeddings: Path | None = None,
) -> WatchResult:
    """Archive the new items of ``feeds`` (feed URLs or files, or folders of documents), match
    them, and return the review queue."""
    dataset = Dataset.open(root)
    for feed in feeds:  # a path that is not there is a typo: said before anything is fetched
        if not re.match(r"^https?://", feed) and not Path(feed).exists():
            raise InputError("no such feed file or folder", path=Path(feed))
    state = _State.load(dataset)
    seen = 0
    skipped: list[tuple[str, str]] = []
    for feed in feeds:
        if Path(feed).is_dir():
            was_seen, problems = _folder(dataset, Path(feed), state, language)
        else:
            was_seen, problems = _feed(dataset, feed, state, language, timeout)
        seen += was_seen
        skipped += problems
    items, unreadable = _pending(dataset, state)
    skipped += unreadable
    sources = [Source(i.seed, i.text, i.language, True) for i in items]
    report = match_sources(
        dataset.root, sources, cache_dir=cache_dir, jobs=jobs, embeddings=embeddings
    )
    return WatchResult(items, seen, report, skipped)


def queued(root: Path, result: WatchResult) -> None:
    """Say that the queue of ``result`` is written: its items are no longer pending."""
    dataset = Dataset.open(root)
    state = _State.load(dataset)
    for item in result.archived:
        state.pending.pop(item.seed, None)
    state.save(dataset)


def _pending(dataset: Dataset, state: _State) -> tuple[list[Item], list[tuple[str, str]]]:
    """The items archived and not yet queued (by this run, or by one that failed later), with
    their archived texts."""
    items, problems = [], []
    for seed_id, origin in sorted(state.pending.items()):
        try:
            meta = load_bytes(read_bounded(dataset.seeds_dir / f"{seed_id}.yaml", 1 << 20)).data
            name = str(meta["text_file"])
            if "/" in name or "\\" in name or name.startswith("."):
                raise InputError("its text file is not a plain file name")
            text = read_bounded(dataset.seeds_dir / name, MAX_SEED_BYTES).decode("utf-8")
            language = str(meta.get("language") or UNDETERMINED).split("-")[0].lower()
        except (OSError, ValueError, KeyError, TypeError, YamlProblem, ClaimtrackError) as error:
            problems.append((seed_id, f"archived, but its text cannot be read: {error}"))
            continue
        items.append(Item(str(origin.get("origin")), seed_id, origin.get("title"), text, language))
    return items, problems


def _folder(
    dataset: Dataset, folder: Path, state: _State, language: str | None
) -> tuple[int, list[tuple[str, str]]]:
    seen, skipped = 0, []
    for path in files_in(folder):
        try:
            raw = path.read_bytes()
            key = "sha256:" + hashlib.sha256(raw).hexdigest()
            if key in state.items:
                seen += 1
                continue
            item, already = _archive(dataset, path, raw, SourceInfo(language=language), str(path))
        except (ClaimtrackError, OSError) as error:
            skipped.append((str(path), str(error)))
            continue
        if item is None:
            state.items[key] = str(already)
            seen += 1
        else:
            state.archived(dataset, key, item)
    state.save(dataset)
    return seen, skipped


def _feed(
    dataset: Dataset, feed: str, state: _State, language: str | None, timeout: float
) -> tuple[int, list[tuple[str, str]]]:
    seen, skipped = 0, []
    try:
        host = urllib.parse.urlsplit(feed).hostname if re.match(r"^https?://", feed) else None
        private = host is not None and internal(host)  # a feed on this machine may link to it
        entries = _entries(feed, timeout)
    except (ClaimtrackError, ValueError) as error:
        return 0, [(feed, str(error))]
    for entry in entries:
        link, key = entry["link"], f"item:{entry['id']}"
        if key in state.items:
            seen += 1
            continue
        try:
            item, already = _entry_item(dataset, entry, language, timeout, private)
        except ClaimtrackError as error:
            skipped.append((str(link), str(error)))
            continue
        if item is None:
            state.items[key] = str(already)
            seen += 1
        else:
            state.archived(dataset, key, item)
    state.save(dataset)
    return seen, skipped


def _entry_item(
    dataset: Dataset, entry: dict[str, Any], language: str | None, timeout: float, private: bool
) -> tuple[Item | None, str | None]:
    """Fetch and archive a feed entry's page; InputError for anything wrong with it."""
    link = entry["link"]
    if not isinstance(link, str):
        raise InputError("the entry has no link")
    raw = fetch(link, timeout, private=private)
    info = SourceInfo(
        title=entry["title"],
        url=link,
        published=entry["published"],
        language=language or entry["language"],
    )
    return _fetched(dataset, link, raw, info)


def _fetched(
    dataset: Dataset, link: str, raw: bytes, info: SourceInfo
) -> tuple[Item | None, str | None]:
    """Archive fetched bytes: written to a temporary file named for their kind."""
    suffix = ".pdf" if raw.startswith(b"%PDF") else ".html"
    with tempfile.TemporaryDirectory() as folder:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(urllib.parse.urlsplit(link).path).stem)[:60]
        path = Path(folder) / f"{name or 'item'}{suffix}"
        path.write_bytes(raw)
        return _archive(dataset, path, raw, info, link)
