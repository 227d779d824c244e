"""Archiving a source document as a seed: its text, its original bytes, and what it declares.

`seeds/<id>.txt` holds the text claims quote; when it was extracted from another file (a web
page, a PDF, a web archive), `seeds/<id>.<ext>` keeps that file byte for byte, both hashed in
`seeds/<id>.yaml`. What the editor gives wins; what the page declares (title, author, date,
canonical URL, language) fills the fields the editor left out, and the result says which.
The same bytes are never archived twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.edit.bounded import extract_bounded
from claimtrack.edit.extract import Extracted
from claimtrack.exc import AlreadyArchived, EditRefused, InputError
from claimtrack.model.ids import digest_id, slug
from claimtrack.model.records import SEED_SCHEMA_VERSION, SourceDocument
from claimtrack.model.types import SEED_ID
from claimtrack.store.files import MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import DataFile, Dataset
from claimtrack.store.locking import locked
from claimtrack.store.seed_files import write_seed_files
from claimtrack.store.yaml_read import load_bytes
from claimtrack.store.yaml_write import to_yaml
from claimtrack.validate.committed import schema_bytes
from claimtrack.validate.per_file import check_file

MAX_ORIGINAL_BYTES = 256 << 20
SUFFIXES = {"text/html": "html", "application/pdf": "pdf", "application/warc": "warc"}
FIELDS = ("title", "author", "publisher", "published", "url", "retrieved", "language")


@dataclass(frozen=True)
class SourceInfo:
    """What the editor says of a source; None: not given (the document may declare it)."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    retrieved: str | None = None
    language: str | None = None
    rights: str | None = None
    redistribution: str | None = None
    seed_id: str | None = None


@dataclass(frozen=True)
class Archived:
    seed_id: str
    files: list[Path]
    declared: dict[str, str] = field(default_factory=dict)  # fields filled from the document
    defaults: list[str] = field(default_factory=list)  # cautious defaults applied


def _existing(dataset: Dataset, digest: str) -> str | None:
    """The seed that archived these bytes already (as its text or its original), if any."""
    for file in dataset.seed_files():
        try:
            data = load_bytes(file.path.read_bytes()).data
        except Exception:
            continue
        if isinstance(data, dict) and digest in (data.get("sha256"), data.get("original_sha256")):
            return str(data.get("id"))
    return None


def _partial_date(value: str | None) -> str | None:
    """A declared date as `YYYY-MM-DD` (or shorter), when it reads as one."""
    if not value:
        return None
    text = value.strip()[:10]
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(text[:size], fmt)
        except ValueError:
            continue
        return text[:size]
    return None


def _read(source: Path) -> bytes:
    try:
        return read_bounded(source, MAX_ORIGINAL_BYTES)
    except FileTooLarge as error:
        message = f"the file is {error.size:,} bytes; the limit is {error.limit:,}"
        raise InputError(message, path=source) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", path=source) from None


def _fields(info: SourceInfo, found: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The metadata fields: the editor's, else the document's (dates made partial dates)."""
    given = {k: getattr(info, k) for k in FIELDS}
    declared = {k: v for k, v in found.items() if k in FIELDS and not given.get(k)}
    for key in ("published", "retrieved"):
        if key in declared:
            declared[key] = _partial_date(declared[key]) or ""
    declared = {k: v for k, v in declared.items() if v}
    return {k: given.get(k) or declared.get(k) for k in FIELDS}, declared


def check_seed_id(
    dataset: Dataset, seed_id: str, *, new: bool = True, renaming: str | None = None
) -> None:
    """A seed id names files in `seeds/`: its form, and for a ``new`` id no other seed's id
    ignoring case (the seed being renamed aside)."""
    if not re.fullmatch(SEED_ID, seed_id) or seed_id.endswith(".orig"):
        raise InputError(
            f"{json.dumps(seed_id[:80])} is not a seed id",
            hint="letters, digits, `-` and `_`, starting with a letter or digit, at most 128 "
            "characters (e.g. --id bridge-article)",
        )
    if not new:
        return
    folder = dataset.seeds_dir
    taken = [p.stem for p in folder.glob("*.yaml")] if folder.is_dir() else []
    clash = next((t for t in taken if t.casefold() == seed_id.casefold() and t != renaming), None)
    if clash is not None:
        raise InputError(
            f"seed `{clash}` exists already (ids are compared ignoring case); nothing was written",
            path=folder / f"{clash}.yaml",
            hint="give another --id",
        )


_FILE_KEY = re.compile(r"^(?:text_file|original_file):\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


def _named_files(dataset: Dataset) -> set[str]:
    """The file names in `seeds/` that some seed's metadata names (never replaced)."""
    names: set[str] = set()
    folder = dataset.seeds_dir
    for meta in folder.glob("*.yaml") if folder.is_dir() else []:
        try:
            names |= set(_FILE_KEY.findall(meta.read_text("utf-8", errors="replace")))
        except OSError:
            continue
    return names


def write_seed(dataset: Dataset, meta: dict[str, Any], files: dict[Path, bytes]) -> Path:
    """Check the metadata as `validate` would, then write the files and the metadata last. Text
    and original files of this id without metadata are what an interrupted `seed add` left:
    they are replaced."""
    meta_path = dataset.seeds_dir / f"{meta['id']}.yaml"
    if meta_path.exists() or meta_path.is_symlink():
        raise InputError(
            "a seed file of this id exists; nothing was written",
            path=meta_path,
            hint="give another --id",
        )
    named = _named_files(dataset)
    for path in files:
        if path.is_symlink() or (path.exists() and not path.is_file()) or path.name in named:
            raise InputError(
                "a file of this name belongs to another seed (or is not a plain file); nothing "
                "was written",
                path=path,
                hint="give another --id",
            )
    record = to_yaml(SourceDocument.model_validate(meta)).encode("utf-8")
    data_file = DataFile(meta_path, "seed", dataset.display(meta_path))
    check = check_file(data_file, schema_bytes(dataset, "seed"), record)
    if check.findings:
        raise EditRefused(check.findings, path=meta_path)
    write_seed_files(meta_path, record, files)
    return meta_path


@locked
def archive_source(
    dataset: Dataset,
    source: Path,
    info: SourceInfo,
    *,
    encoding: str | None = None,
    record_url: str | None = None,
) -> Archived:
    """Archive ``source`` under `seeds/`; refuse bytes archived already (AlreadyArchived), an id
    that is not a seed id or that another seed has (ignoring case), and a text over the size a
    seed may have: nothing is written that `validate` would then reject."""
    if info.seed_id is not None:
        check_seed_id(dataset, info.seed_id)
    raw = _read(source)
    digest = hashlib.sha256(raw).hexdigest()
    extracted = extract_bounded(source, raw, encoding=encoding, record_url=record_url)
    text_bytes = extracted.text.encode("utf-8")
    text_digest = hashlib.sha256(text_bytes).hexdigest()
    for seen in (_existing(dataset, digest), _existing(dataset, text_digest)):
        if seen is not None:
            raise AlreadyArchived(seen, path=source)
    values, declared = _fields(info, extracted.declared)
    if not values["language"]:
        raise InputError(
            "the document's language is not known",
            path=source,
            hint="give it with --language, e.g. --language fr",
        )
    title = values["title"] or source.stem
    seed_id = info.seed_id or f"{slug(title)[:40].strip('-') or 'source'}-{digest_id(raw)[:8]}"
    meta: dict[str, Any] = {
        "schema_version": SEED_SCHEMA_VERSION,
        "id": seed_id,
        **{k: values[k] for k in FIELDS},
        "title": title,
        "archived": dt.datetime.now(dt.UTC).date().isoformat(),
        "rights": info.rights or "Not stated: the author and publisher keep their rights.",
        "redistribution": info.redistribution or "quotes_only",
        "text_file": f"{seed_id}.txt",
        "media_type": "text/plain; charset=utf-8",
        "sha256": text_digest,
    }
    check_seed_id(dataset, seed_id)
    if len(text_bytes) > MAX_SEED_BYTES:
        raise InputError(
            f"the text is {len(text_bytes):,} bytes; an archived text may have at most "
            f"{MAX_SEED_BYTES:,}",
            path=source,
            hint="archive the part of the document the claims quote",
        )
    files = {dataset.seeds_dir / f"{seed_id}.txt": text_bytes}
    if extracted.original_media_type is not None:
        original = f"{seed_id}.orig.{SUFFIXES[extracted.original_media_type]}"
        meta |= _original(original, extracted, digest)
        files[dataset.seeds_dir / original] = raw
    meta_path = write_seed(dataset, meta, files)
    return Archived(seed_id, [meta_path, *files], declared, _defaults_taken(info))


def _original(name: str, extracted: Extracted, digest: str) -> dict[str, Any]:
    """The metadata of the file the text was extracted from (kept byte for byte)."""
    return {
        "original_file": name,
        "original_media_type": extracted.original_media_type,
        "original_sha256": digest,
        "extracted_with": extracted.extracted_with,
    }


def _defaults_taken(info: SourceInfo) -> list[str]:
    """The cautious defaults a seed got because nothing was said of its rights."""
    defaults = []
    if info.redistribution is None:
        defaults.append("redistribution: quotes_only (nothing said the rights allow more)")
    if info.rights is None:
        defaults.append("rights: not stated")
    return defaults
