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
import ipaddress
import json
import re
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser

from claimtrack.edit.archive import SourceInfo, archive_source
from claimtrack.edit.bounded import extract_bounded
from claimtrack.exc import AlreadyArchived, ClaimtrackError, InputError
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.files import MAX_SEED_BYTES
from claimtrack.store.install import VENDOR_DIR
from claimtrack.store.layout import Dataset
from claimtrack.track.run import MatchReport, Source, files_in, match_sources
from claimtrack.track.text import language_of

STATE = "watched.json"
MAX_FETCH = 4 * MAX_SEED_BYTES  # bytes of one feed or page
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


def _internal(host: str) -> bool:
    """Whether ``host`` is this machine or a private network (or cannot be resolved)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return True
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return True
    return False


def _check_url(url: str, private: bool) -> None:
    """An http(s) URL whose host is on the public internet, unless ``private`` (the feed
    itself is on this machine or its network): a feed cannot make `watch` read a file or
    reach an address it was not pointed at (a cloud's metadata service, say)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"not an http(s) URL: {url}", hint="feeds and items are fetched over http(s) only"
        )
    if not private and _internal(parts.hostname):
        raise InputError(
            f"{url} is on a private or local network, and the feed is not",
            hint="a public feed's items are fetched from public addresses only",
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects checked as the first URL is: http(s), no private address unless allowed."""

    def __init__(self, private: bool) -> None:
        self.private = private

    def redirect_request(
        self, req: Any, fp: Any, code: Any, msg: Any, headers: Any, newurl: str
    ) -> Any:
        try:
            _check_url(newurl, self.private)
        except InputError as error:
            raise urllib.error.URLError(str(error)) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(private: bool) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: no file:, ftp: or data: URLs, even through a redirect."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _Redirects(private),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, timeout: float, *, private: bool = False) -> bytes:
    """The bytes at an http(s) URL, at most :data:`MAX_FETCH`; InputError otherwise.
    ``private``: addresses of this machine and its network are allowed."""
    _check_url(url, private)
    request = urllib.request.Request(url, headers={"User-Agent": "claimtrack-watch"})
    try:
        with _opener(private).open(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_FETCH + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise InputError(f"cannot fetch {url}: {error}") from None
    if len(data) > MAX_FETCH:
        raise InputError(f"{url} is larger than {MAX_FETCH:,} bytes")
    return data


def _state(dataset: Dataset) -> dict[str, str]:
    try:
        data = json.loads((dataset.root / VENDOR_DIR / STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save(dataset: Dataset, state: dict[str, str]) -> None:
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (dataset.root / VENDOR_DIR).mkdir(exist_ok=True)
    atomic_write_bytes(dataset.root / VENDOR_DIR / STATE, text.encode("utf-8"))


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
    if isinstance(value, time.struct_time):
        return time.strftime("%Y-%m-%d", value)
    return None


def _archive(
    dataset: Dataset, path: Path, raw: bytes, info: SourceInfo, origin: str
) -> tuple[Item | None, str | None]:
    """Archive one document: (the item, None), or (None, the seed it is already), or raise."""
    extracted = extract_bounded(path, raw, encoding=None, record_url=None)
    language = info.language or extracted.declared.get("language") or language_of(extracted.text)
    info = dataclasses.replace(info, language=language)
    try:
        archived = archive_source(dataset, path, info)
    except AlreadyArchived as error:
        return None, error.seed_id
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
    state = _state(dataset)
    items: list[Item] = []
    seen = 0
    skipped: list[tuple[str, str]] = []
    for feed in feeds:
        if Path(feed).is_dir():
            found, was_seen, problems = _folder(dataset, Path(feed), state, language)
        else:
            found, was_seen, problems = _feed(dataset, feed, state, language, timeout)
        items += found
        seen += was_seen
        skipped += problems
    _save(dataset, state)
    sources = [Source(i.seed, i.text, i.language, True) for i in items]
    report = match_sources(
        dataset.root, sources, cache_dir=cache_dir, jobs=jobs, embeddings=embeddings
    )
    return WatchResult(items, seen, report, skipped)


def _folder(
    dataset: Dataset, folder: Path, state: dict[str, str], language: str | None
) -> tuple[list[Item], int, list[tuple[str, str]]]:
    items, seen, skipped = [], 0, []
    for path in files_in(folder):
        try:
            raw = path.read_bytes()
            key = "sha256:" + hashlib.sha256(raw).hexdigest()
            if key in state:
                seen += 1
                continue
            item, already = _archive(dataset, path, raw, SourceInfo(language=language), str(path))
        except ClaimtrackError as error:
            skipped.append((str(path), str(error)))
            continue
        state[key] = item.seed if item else str(already)
        if item is None:
            seen += 1
        else:
            items.append(item)
    return items, seen, skipped


def _feed(
    dataset: Dataset, feed: str, state: dict[str, str], language: str | None, timeout: float
) -> tuple[list[Item], int, list[tuple[str, str]]]:
    items, seen, skipped = [], 0, []
    host = urllib.parse.urlsplit(feed).hostname if re.match(r"^https?://", feed) else None
    private = host is not None and _internal(host)  # a feed on this machine may link to it
    try:
        entries = _entries(feed, timeout)
    except ClaimtrackError as error:
        return [], 0, [(feed, str(error))]
    for entry in entries:
        link, key = entry["link"], f"item:{entry['id']}"
        if key in state:
            seen += 1
            continue
        try:
            if not isinstance(link, str):
                raise InputError("the entry has no link")
            raw = fetch(link, timeout, private=private)
            info = SourceInfo(
                title=entry["title"],
                url=link,
                published=entry["published"],
                language=language or entry["language"],
            )
            item, already = _fetched(dataset, link, raw, info)
        except ClaimtrackError as error:
            skipped.append((str(link), str(error)))
            continue
        state[key] = item.seed if item else str(already)
        if item is None:
            seen += 1
        else:
            items.append(item)
    return items, seen, skipped


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
