"""What a release may publish of each archived source, by its `redistribution` policy.

- `full_text`: the archived text is in the release, with everything else.
- `quotes_only`: the text is left out; its metadata, SHA-256 and size stay, and so do the quotes
  with their offsets, so whoever holds the text can check every one (`verify --seeds`).
- `none`: the quotes' words are left out too: quote texts and their translations, the claim's
  original wording, a response's verbatim `words` when its evidence is such a quote, and a
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


def _silenced(claim: Claim, policy: Policy) -> tuple[set[str], bool, bool]:
    """Quote ids to withhold, whether the original wording goes, whether the statement goes."""
    quotes = {q.id for q in claim.evidence if q.seed in policy.silent}
    if not quotes:
        return quotes, False, False
    withheld = {_folded(q.text) for q in claim.evidence if q.id in quotes}
    original = claim.original is not None
    if claim.original is not None:
        withheld.add(_folded(claim.original.text))
    statement = _folded(claim.statement)
    return quotes, original, any(statement and statement in w for w in withheld)


def _silent_responses(claim: Claim, quotes: set[str]) -> list[int]:
    """Positions of the responses whose words come from a withheld quote."""
    return [
        i
        for i, r in enumerate(claim.responses)
        if r.words and (set(r.evidence) & quotes or not r.evidence)
    ]


def claim_record(claim: Claim, record: dict[str, Any], policy: Policy) -> dict[str, Any]:
    """A claim's JSON record as the release publishes it (texts of silent seeds as null)."""
    quotes, original, statement = _silenced(claim, policy)
    if not quotes:
        return record
    for quote in record["evidence"]:
        if quote["id"] in quotes:
            quote["text"] = None
            if quote.get("translation"):
                quote["translation"]["text"] = None
    if original and record.get("original"):
        record["original"]["text"] = None
    if statement:
        record["statement"] = None
    for i in _silent_responses(claim, quotes):
        record["responses"][i]["words"] = None
    return record


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
    originals, statements, words = [], [], []
    for claim in claims:
        quotes, original, statement = _silenced(claim, policy)
        if original:
            originals.append(claim.id)
        if statement:
            statements.append(claim.id)
        words += [f"{claim.id}\n{i}" for i in _silent_responses(claim, quotes)]
    key = pl.concat_str(pl.col("claim_id"), pl.col("position").cast(pl.String), separator="\n")
    responses = frames["responses"].with_columns(
        pl.when(key.is_in(words)).then(None).otherwise(pl.col("words")).alias("words")
    )
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
    return {**frames, "evidence": evidence, "claims": claims_table, "responses": responses}


def manifest_entry(seed: SourceDocument, raw: bytes) -> dict[str, Any]:
    """What the manifest says of a seed: its policy, whether its text ships, and its size."""
    return {
        "redistribution": seed.redistribution.value,
        "text_file": seed.text_file,
        "text_in_release": seed.redistribution is Redistribution.FULL_TEXT,
        "bytes": len(raw),
        "characters": len(raw.decode("utf-8")),
        "sha256": seed.sha256,
    }
