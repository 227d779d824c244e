"""What a release may publish of each archived source, by its `redistribution` policy.

- `full_text`: the archived text is in the release, with everything else.
- `quotes_only`: the text is left out; its metadata, SHA-256 and size stay, and so do the quotes
  with their offsets, so whoever holds the text can check every one (`verify --seeds`).
- `none`: the quotes' words are left out too: quote texts and their translations, the claim's
  original wording, how the source names each link (`as_described`), a response's verbatim
  `words` when its evidence is such a quote, a correction text that quotes any of them, and a
  statement that only repeats a withheld quote (compared ignoring case, whitespace, quote marks
  and end punctuation). Offsets and the quotes' hashes (`evidence.text_sha256`) stay, so the
  record can still be checked against the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from claimtrack.model.records import Claim, SourceDocument
from claimtrack.model.text import normalise
from claimtrack.model.vocab import Redistribution


@dataclass(frozen=True)
class Policy:
    """The seeds of a release by what they allow: ``texts`` may ship, ``silent`` allow nothing."""

    texts: frozenset[str]
    silent: frozenset[str]

    @classmethod
    def of(cls, seeds: Iterable[SourceDocument]) -> Policy:
        texts, silent = set(), set()
        for seed in seeds:  # one pass, one model at a time (seeds may be a SeedList)
            if seed.redistribution is Redistribution.FULL_TEXT:
                texts.add(seed.id)
            elif seed.redistribution is Redistribution.NONE:
                silent.add(seed.id)
        return cls(frozenset(texts), frozenset(silent))


def _folded(text: str) -> str:
    """Text as the withheld-words check compares it: normalised, case folded, no end marks."""
    return normalise(text).casefold().strip(' .!?…;:,"')


WINDOW = 16  # characters: a correction sharing this many with withheld words is withheld


@dataclass(frozen=True)
class Silence:
    """What a release leaves out (null) of one claim whose quotes come from a `none` source."""

    quotes: frozenset[str]  # quote ids
    original: bool
    statement: bool
    links: frozenset[int]  # attribution positions whose `as_described` is the source's words
    responses: frozenset[int]  # positions whose `words` come from a withheld quote
    corrections: frozenset[tuple[int, str]]  # (position, field) quoting withheld words

    def __bool__(self) -> bool:
        return bool(self.quotes)


def _windows(text: str) -> set[str]:
    return {text[i : i + WINDOW] for i in range(max(0, len(text) - WINDOW + 1))}


def silence(claim: Claim, policy: Policy) -> Silence:
    """What to withhold of ``claim``: quotes of silent seeds with their translations, the
    original wording, a statement that repeats them (ignoring case, spacing, quote marks, end
    punctuation, or as a cut-short start), how the source names each link (`as_described`,
    its words), a response's words drawn from a withheld quote, and any correction text that
    quotes what is withheld."""
    quotes = frozenset(q.id for q in claim.evidence if q.seed in policy.silent)
    if not quotes:
        return Silence(quotes, False, False, frozenset(), frozenset(), frozenset())
    withheld = [_folded(q.text) for q in claim.evidence if q.id in quotes]
    if claim.original is not None:
        withheld.append(_folded(claim.original.text))
    statement = _folded(claim.statement)
    # `as_described` is how the source words a link, verbatim: the source's own words
    links = frozenset(i for i, link in enumerate(claim.attribution) if link.as_described)
    words = [claim.attribution[i].as_described or "" for i in links]
    windows = set().union(*(_windows(w) for w in withheld + [_folded(w) for w in words]))
    corrections = frozenset(
        (i, name)
        for i, entry in enumerate(claim.corrections)
        for name in ("wrong", "change", "reason")
        if _windows(_folded(getattr(entry, name))) & windows
    )
    responses = frozenset(
        i
        for i, r in enumerate(claim.responses)
        if r.words and (set(r.evidence) & quotes or not r.evidence)
    )
    return Silence(
        quotes,
        claim.original is not None,
        bool(statement) and any(statement in w for w in withheld),
        links,
        responses,
        corrections,
    )


def claim_record(claim: Claim, record: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """A claim's JSON record as the release publishes it (texts of silent seeds as null)."""
    plan = silence(claim, policy)
    if not plan:
        return record
    for quote in record["evidence"]:
        if quote["id"] in plan.quotes:
            quote["text"] = None
            if quote.get("translation"):
                quote["translation"]["text"] = None
    if plan.original and record.get("original"):
        record["original"]["text"] = None
    if plan.statement:
        record["statement"] = None
    for i in plan.links:
        record["attribution"][i]["as_described"] = None
    for i in plan.responses:
        record["responses"][i]["words"] = None
    for i, name in plan.corrections:
        record["corrections"][i][name] = None
    return record


def _nulled(frame: pl.DataFrame, column: str, keys: list[str]) -> pl.DataFrame:
    """``column`` made null in the rows of ``keys`` (`claim id` newline `position`)."""
    key = pl.concat_str(pl.col("claim_id"), pl.col("position").cast(pl.String), separator="\n")
    return frame.with_columns(
        pl.when(key.is_in(keys)).then(None).otherwise(pl.col(column)).alias(column)
    )


def tables(
    frames: dict[str, pl.DataFrame], claims: list[Claim], policy: Policy
) -> dict[str, pl.DataFrame]:
    """The tables as the release publishes them (texts of silent seeds as null)."""
    if not policy.silent:
        return frames
    quoted = pl.col("seed_id").is_in(list(policy.silent))
    evidence = frames["evidence"].with_columns(
        pl.when(quoted).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("text", "translation_text")
    )
    originals, statements, words, links = [], [], [], []
    corrections: dict[str, list[str]] = {"wrong": [], "change": [], "reason": []}
    for claim in claims:
        plan = silence(claim, policy)
        if plan.original:
            originals.append(claim.id)
        if plan.statement:
            statements.append(claim.id)
        words += [f"{claim.id}\n{i}" for i in plan.responses]
        links += [f"{claim.id}\n{i}" for i in plan.links]
        for i, name in plan.corrections:
            corrections[name].append(f"{claim.id}\n{i}")
    claims_table = frames["claims"].with_columns(
        pl.when(pl.col("claim_id").is_in(originals))
        .then(None)
        .otherwise(pl.col("original_text"))
        .alias("original_text"),
        pl.when(pl.col("claim_id").is_in(statements))
        .then(None)
        .otherwise(pl.col("statement"))
        .alias("statement"),
    )
    fixed = frames["corrections"]
    for name, keys in corrections.items():
        fixed = _nulled(fixed, name, keys)
    return {
        **frames,
        "evidence": evidence,
        "claims": claims_table,
        "responses": _nulled(frames["responses"], "words", words),
        "attributions": _nulled(frames["attributions"], "as_described", links),
        "corrections": fixed,
    }


def manifest_entry(seed: SourceDocument, raw: bytes) -> dict[str, Any]:
    """What the manifest says of a seed: its policy, whether its text ships, and its size."""
    entry: dict[str, Any] = {
        "redistribution": seed.redistribution.value,
        "text_file": seed.text_file,
        "text_in_release": seed.redistribution is Redistribution.FULL_TEXT,
        "bytes": len(raw),
        "characters": len(raw.decode("utf-8")),
        "sha256": seed.sha256,
    }
    if seed.original_file is not None:
        entry["original_file"] = seed.original_file
    return entry
