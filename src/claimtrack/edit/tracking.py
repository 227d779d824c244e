"""Following a claim across sources: `claim appear` (a new source repeats a known claim) and
`claim same-as` (two records state one claim). Neither changes a status: the status history
records the editor's own conclusions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.edit.archive import SourceInfo, archive_source
from claimtrack.edit.claims import (
    Edited,
    QuoteSource,
    next_quote_id,
    now,
    open_claim,
    quote_entry,
    write_edit,
)
from claimtrack.edit.textedit import EditableFile
from claimtrack.exc import AlreadyArchived, EditRefused, InputError
from claimtrack.model.records import SourceDocument
from claimtrack.model.text import normalise
from claimtrack.store.files import MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import locked
from claimtrack.validate.check import check as validate
from claimtrack.validate.check import check_candidate

LINKS_FROM = "1.4"  # the claim format that added `same_as`
AFTER = {"same_as": ("responses", "history", "status")}


@dataclass(frozen=True)
class Appearance:
    """Where a known claim appears: the seed, its words, and how it attributes the claim."""

    seed: str
    quote: str
    occurrence: int | None = None
    as_described: str | None = None  # the source's own wording of the attribution
    name: str | None = None  # the relay's name (default: the seed's publisher, else title)
    link_type: str | None = None
    context: str | None = None
    translation: str | None = None
    translation_method: str = "human"


def _seed(dataset: Dataset, seed_id: str) -> tuple[SourceDocument, str]:
    report = validate(
        dataset, [dataset.seeds_dir] if dataset.seeds_dir.is_dir() else [], records=True, cache=None
    )
    for seed in report.seeds:
        if seed.id == seed_id:
            try:
                raw = read_bounded(dataset.seed_text_path(seed.text_file), MAX_SEED_BYTES)
                return seed, raw.decode("utf-8")
            except (OSError, FileTooLarge, UnicodeDecodeError) as error:
                raise InputError(f"cannot read seed `{seed_id}`'s text: {error}") from None
    raise InputError(
        f"no valid archived seed `{seed_id}`",
        hint="archive the source first (`claimtrack seed add FILE`), or fix the id",
    )


def _check_wording(seed: SourceDocument, text: str, appearance: Appearance) -> None:
    if appearance.as_described and normalise(appearance.as_described) not in normalise(text):
        raise InputError(
            f"--as-described is not in seed `{seed.id}`'s text",
            hint="give the attribution verbatim as the source words it (e.g. `selon le FT`)",
        )


def _relay(seed: SourceDocument, appearance: Appearance) -> dict[str, Any]:
    """The relay link to the seed: named by its publisher (else its title), never guessed."""
    name = appearance.name or seed.publisher or f"{seed.title} (archived as {seed.id})"
    kind = appearance.link_type or ("news_outlet" if seed.publisher else "document")
    link: dict[str, Any] = {"role": "relay", "name": name, "type": kind, "seed": seed.id}
    if appearance.as_described:
        link["as_described"] = appearance.as_described
    if appearance.context:
        link["context"] = appearance.context
    if seed.url:
        link["url"] = seed.url
    return link


@locked
def appear(dataset: Dataset, claim_id: str, appearance: Appearance) -> Edited:
    """Record that a source repeats a known claim: its quote (offsets found in the seed) and a
    relay link to it with the source's wording of the attribution. The status is unchanged."""
    file = open_claim(dataset, claim_id)
    seed, text = _seed(dataset, appearance.seed)
    _check_wording(seed, text, appearance)
    quote_id = next_quote_id(file)
    source = QuoteSource(
        appearance.seed,
        appearance.quote,
        appearance.occurrence,
        appearance.translation,
        appearance.translation_method,
    )
    entry = quote_entry(dataset, quote_id, source)
    for quote in file.data.get("evidence", []):
        if (
            isinstance(quote, dict)
            and quote.get("seed") == entry["seed"]
            and (quote.get("start"), quote.get("end")) == (entry["start"], entry["end"])
        ):
            raise InputError(
                f"the claim quotes this passage already, as `{quote.get('id')}`",
                hint="nothing to record; `claimtrack show " + claim_id + "` shows its quotes",
            )
    file.append("evidence", entry)
    relays = [
        link
        for link in file.data.get("attribution", [])
        if isinstance(link, dict) and link.get("role") == "relay" and link.get("seed") == seed.id
    ]
    if not relays:
        file.append("attribution", _relay(seed, appearance))
    elif appearance.as_described and relays[0].get("as_described") != appearance.as_described:
        raise InputError(
            f"the claim's relay link to seed `{seed.id}` words the attribution otherwise "
            f"({relays[0].get('as_described') or 'not at all'})",
            hint="record the quote without --as-described, or edit that link's `as_described` "
            "in the claim file",
        )
    file.set_scalar("/updated", now())
    return write_edit(dataset, file)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _link(file: EditableFile, other: str) -> bool:
    """Add ``other`` to the file's `same_as` (False: it is there already)."""
    if other in (file.data.get("same_as") or []):
        return False
    file.append("same_as", other, after=AFTER["same_as"])
    if _version_key(str(file.data.get("schema_version"))) < _version_key(LINKS_FROM):
        file.set_scalar("/schema_version", LINKS_FROM)
    file.set_scalar("/updated", now())
    return True


@locked
def join_same(dataset: Dataset, first: str, second: str) -> list[Edited]:
    """Record on both records that they state one claim (`same_as`); nothing is merged. Both
    files are checked before either is written."""
    if first == second:
        raise InputError("a claim is never `same_as` itself", hint="give two different claim ids")
    files = [open_claim(dataset, first), open_claim(dataset, second)]
    changed = [f for f, other in zip(files, (second, first), strict=True) if _link(f, other)]
    if not changed:
        raise InputError(f"`{first}` and `{second}` are joined already; nothing was written")
    for file in changed:
        findings = check_candidate(dataset, file.path, file.result().encode("utf-8"))
        if findings:
            raise EditRefused(findings, path=file.path)
    return [write_edit(dataset, f) for f in changed]


def seed_for_file(dataset: Dataset, path: Path, language: str | None) -> str:
    """The seed of a document: archived now (as `seed add` does), or the one that holds its
    bytes already."""
    try:
        return archive_source(dataset, path, SourceInfo(language=language)).seed_id
    except AlreadyArchived as error:
        return error.seed_id
