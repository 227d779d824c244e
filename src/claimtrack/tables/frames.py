"""The dataset as Polars tables: one row per claim, and the nested parts as tables joined on ids.

Every table and column is declared once here, with its Polars type and its description (taken
from the models where the column is a model field), so the data dictionary is generated from the
same declarations that build the frames.

Types: controlled vocabularies are ``pl.Enum``; dates are ``pl.Date``; timestamps are
``pl.Datetime("us", "UTC")``; money is ``pl.Decimal(38, 6)`` (exact; the schema refuses more than
6 decimal places); partial dates (``2021``, ``2021-10``) stay ``pl.String``; lists are used only
where a flat column would lose meaning (topics, tags, subject names, quote ids).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa
from pydantic import BaseModel

from claimtrack.model import vocab
from claimtrack.model.records import (
    AccessValue,
    AttributionLink,
    Claim,
    Correction,
    ExternalId,
    JurisdictionValue,
    MoneyValue,
    PartyResponse,
    Quote,
    Rating,
    SourceDocument,
    StatusChange,
    Subject,
    TextValue,
    Translation,
)

MONEY = pl.Decimal(38, 6)
UTC = pl.Datetime("us", "UTC")
TEXTS = pl.List(pl.String)


def enum(vocab: type[vocab.Vocabulary]) -> pl.Enum:
    return pl.Enum([m.value for m in vocab])


def doc(model: type[BaseModel], name: str) -> str:
    """A model field's description: the one text behind schema, dictionary and docs."""
    return model.model_fields[name].description or ""


@dataclass(frozen=True)
class Column:
    """A column: name, Polars type, description, and (nested tables) the attribute it holds."""

    name: str
    dtype: pl.DataType
    description: str
    attr: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: its columns, its key, and how to get its rows from the records."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[list[Claim], Sequence[SourceDocument]], Iterator[tuple[Any, ...]]]

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def build(self, claims: list[Claim], seeds: Sequence[SourceDocument]) -> pl.DataFrame:
        rows = list(self.rows(claims, seeds))
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(self.columns)
        return pl.DataFrame(
            [
                _series(c.name, c.dtype, values)
                for c, values in zip(self.columns, columns, strict=True)
            ]
        ).sort(list(self.key))


def _series(name: str, dtype: pl.DataType, values: tuple[Any, ...]) -> pl.Series:
    """A column from its cells. A list of texts is built through Arrow offsets: ten times
    faster than Polars converting each Python list on its own."""
    if dtype != TEXTS or not values:
        return pl.Series(name, values, dtype=dtype)
    offsets = [0]
    flat: list[str] = []
    for cell in values:
        if cell:
            flat.extend(cell)
        offsets.append(len(flat))
    mask = pa.array([cell is None for cell in values], pa.bool_())
    array = pa.LargeListArray.from_arrays(
        pa.array(offsets, pa.int64()), pa.array(flat, pa.large_string()), mask=mask
    )
    series = pl.Series(name, array)
    return series if series.dtype == dtype else series.cast(dtype)


# ---------------------------------------------------------------- claims


def _value_columns(claim: Claim) -> tuple[Any, ...]:
    v = claim.value
    money = v if isinstance(v, MoneyValue) else None
    place = v if isinstance(v, JurisdictionValue) else None
    access = v if isinstance(v, AccessValue) else None
    text = v if isinstance(v, TextValue) else None
    obj = place.object if place else access.object if access else None
    return (
        v.type if v else None,
        money.currency if money else None,
        money.amount if money else None,
        money.min if money else None,
        money.max if money else None,
        money.period if money else None,
        money.estimate if money else None,
        place.constraint.value if place else None,
        place.countries if place else None,
        access.party if access else None,
        access.access.value if access else None,
        obj,
        text.text if text else None,
    )


def _claim_rows(claims: list[Claim], _: Sequence[SourceDocument]) -> Iterator[tuple[Any, ...]]:
    for c in claims:
        asserters = [a.name for a in c.attribution if a.role is vocab.AttributionRole.ASSERTER]
        seeds = sorted({q.seed for q in c.evidence})
        yield (
            c.id,
            c.statement,
            c.original.text if c.original else None,
            c.original.language if c.original else None,
            c.claim_date,
            c.kind.value,
            c.status.value,
            c.history[-1].date,
            c.history[0].date,
            asserters,
            [s.name for s in c.subjects],
            c.topics,
            c.tags,
            *_value_columns(c),
            len(c.evidence),
            seeds,
            c.notes,
            c.created,
            c.updated,
        )


CLAIMS = Table(
    "claims",
    "One row per claim: the assertion, its kind, its current status and its typed value.",
    ("claim_id",),
    (
        Column("claim_id", pl.String(), doc(Claim, "id")),
        Column("statement", pl.String(), doc(Claim, "statement")),
        Column("original_text", pl.String(), "The assertion in the source's own words."),
        Column("original_language", pl.String(), "Language of `original_text` (BCP 47)."),
        Column("claim_date", pl.String(), doc(Claim, "claim_date")),
        Column("kind", enum(vocab.ClaimKind), doc(Claim, "kind")),
        Column("status", enum(vocab.ConfirmationStatus), doc(Claim, "status")),
        Column("status_since", pl.Date(), "As-of date of the last status history entry."),
        Column("first_recorded", pl.Date(), "As-of date of the first status history entry."),
        Column("asserted_by", TEXTS, "Names of the attribution links with role `asserter`."),
        Column("subjects", TEXTS, "Names of the entities the claim is about."),
        Column("topics", TEXTS, doc(Claim, "topics")),
        Column("tags", TEXTS, doc(Claim, "tags")),
        Column(
            "value_type",
            pl.Enum(["money", "jurisdiction", "access", "text"]),
            "Which typed value the claim has; null if none.",
        ),
        Column("value_currency", pl.String(), doc(MoneyValue, "currency")),
        Column("value_amount", MONEY, doc(MoneyValue, "amount")),
        Column("value_min", MONEY, doc(MoneyValue, "min")),
        Column("value_max", MONEY, doc(MoneyValue, "max")),
        Column("value_period", pl.String(), doc(MoneyValue, "period")),
        Column("value_estimate", pl.Boolean(), doc(MoneyValue, "estimate")),
        Column(
            "value_constraint",
            enum(vocab.ResidencyConstraint),
            doc(JurisdictionValue, "constraint"),
        ),
        Column("value_countries", TEXTS, doc(JurisdictionValue, "countries")),
        Column("value_party", pl.String(), doc(AccessValue, "party")),
        Column("value_access", enum(vocab.AccessLevel), doc(AccessValue, "access")),
        Column("value_object", pl.String(), "What a jurisdiction or access value is about."),
        Column("value_text", pl.String(), doc(TextValue, "text")),
        Column("quote_count", pl.UInt32(), "Number of quotes in the claim's evidence."),
        Column("seed_ids", TEXTS, "Ids of the seeds its quotes come from."),
        Column("notes", pl.String(), doc(Claim, "notes")),
        Column("created", UTC, doc(Claim, "created")),
        Column("updated", UTC, doc(Claim, "updated")),
    ),
    _claim_rows,
)

# ---------------------------------------------------------------- nested parts


def _plain(value: Any) -> Any:
    """A record attribute as a cell: vocabulary terms as their value."""
    return value.value if isinstance(value, vocab.Vocabulary) else value


def _attr(item: Any, path: str) -> Any:
    """``item.a.b`` for the path `a.b`; None when a step is None."""
    for part in path.split("."):
        item = getattr(item, part) if item is not None else None
    return _plain(item)


def _getter(path: str) -> Callable[[Any], Any]:
    """``item.a.b`` for the path `a.b` (None when a step is None), looked up fast."""
    if "." not in path:
        return operator.attrgetter(path)
    return lambda item: _attr(item, path)


def field(model: type[BaseModel], attr: str, dtype: pl.DataType, name: str = "") -> Column:
    """A column holding a model field: its description is the field's."""
    return Column(name or attr, dtype, doc(model, attr.rsplit(".", 1)[-1]), attr)


def nested(
    name: str,
    description: str,
    what: str,
    items: Callable[[Claim], Iterable[Any]],
    columns: tuple[Column, ...],
) -> Table:
    """A table of one nested part of claims: a row per item, keyed by claim id and position."""
    key = (
        Column("claim_id", pl.String(), f"Id of the claim this {what} belongs to."),
        Column("position", pl.UInt32(), f"0-based position of the {what} in the claim file."),
    )

    getters = [_getter(c.attr or c.name) for c in columns]

    def rows(claims: list[Claim], _: Sequence[SourceDocument]) -> Iterator[tuple[Any, ...]]:
        for claim in claims:
            for i, item in enumerate(items(claim)):
                yield (claim.id, i, *[_plain(get(item)) for get in getters])

    return Table(name, description, ("claim_id", "position"), key + columns, rows)


EVIDENCE = nested(
    "evidence",
    "One row per quote: the verbatim passage, where it stands in its seed, and its translation.",
    "quote",
    lambda c: c.evidence,
    (
        field(Quote, "id", pl.String(), "quote_id"),
        field(Quote, "seed", pl.String(), "seed_id"),
        field(Quote, "text", pl.String()),
        field(Quote, "start", pl.UInt32()),
        field(Quote, "end", pl.UInt32()),
        field(Quote, "locator", pl.String()),
        field(Quote, "language", pl.String()),
        Column(
            "text_sha256",
            pl.String(),
            "SHA-256 of the quote with whitespace folded and quote marks unified: proves the "
            "passage at `start`/`end` of the seed text even where the release withholds `text`.",
            "text_sha256",
        ),
        Column("translation_text", pl.String(), doc(Translation, "text"), "translation.text"),
        Column(
            "translation_language",
            pl.String(),
            doc(Translation, "language"),
            "translation.language",
        ),
        Column(
            "translation_method",
            enum(vocab.TranslationMethod),
            doc(Translation, "method"),
            "translation.method",
        ),
        Column("translator", pl.String(), doc(Translation, "translator"), "translation.translator"),
    ),
)

ATTRIBUTIONS = nested(
    "attributions",
    "One row per link of each claim's attribution chain, in chain order.",
    "link",
    lambda c: c.attribution,
    (
        field(AttributionLink, "role", enum(vocab.AttributionRole)),
        field(AttributionLink, "name", pl.String()),
        field(AttributionLink, "type", enum(vocab.EntityType)),
        field(AttributionLink, "as_described", pl.String()),
        field(AttributionLink, "context", pl.String()),
        field(AttributionLink, "seed", pl.String(), "seed_id"),
        field(AttributionLink, "wikidata", pl.String()),
        field(AttributionLink, "url", pl.String()),
    ),
)

STATUS_HISTORY = nested(
    "status_history",
    "One row per entry of each claim's append-only status history, oldest first.",
    "history entry",
    lambda c: c.history,
    (
        field(StatusChange, "date", pl.Date()),
        field(StatusChange, "status", enum(vocab.ConfirmationStatus)),
        field(StatusChange, "reason", pl.String()),
        field(StatusChange, "evidence", TEXTS),
        field(StatusChange, "rated_by", pl.String()),
        field(StatusChange, "source_label", pl.String()),
        Column("rating_value", pl.Float64(), doc(Rating, "value"), "rating.value"),
        Column("rating_best", pl.Float64(), doc(Rating, "best"), "rating.best"),
        Column("rating_worst", pl.Float64(), doc(Rating, "worst"), "rating.worst"),
        field(StatusChange, "url", pl.String()),
        field(StatusChange, "published", pl.String()),
        field(StatusChange, "note", pl.String()),
    ),
)

RESPONSES = nested(
    "responses",
    "One row per reported response of a party involved.",
    "response",
    lambda c: c.responses,
    (
        field(PartyResponse, "party", pl.String()),
        field(PartyResponse, "type", enum(vocab.EntityType)),
        field(PartyResponse, "response", enum(vocab.ResponseType)),
        field(PartyResponse, "asked_by", pl.String()),
        Column(
            "date", pl.String(), doc(PartyResponse, "date") + " (partial date, as text)", "date"
        ),
        field(PartyResponse, "words", pl.String()),
        field(PartyResponse, "evidence", TEXTS),
    ),
)

SUBJECTS = nested(
    "subjects",
    "One row per entity a claim is about.",
    "subject",
    lambda c: c.subjects,
    (
        field(Subject, "name", pl.String()),
        field(Subject, "type", enum(vocab.EntityType)),
        field(Subject, "wikidata", pl.String()),
    ),
)

EXTERNAL_IDS = nested(
    "external_ids",
    "One row per id of a claim in another dataset or system (imports keep the source's id).",
    "external id",
    lambda c: c.external_ids,
    (
        field(ExternalId, "system", pl.String()),
        field(ExternalId, "id", pl.String()),
        field(ExternalId, "url", pl.String()),
    ),
)


CORRECTIONS = nested(
    "corrections",
    "One row per correction of a published claim record: what was wrong, what changed and why.",
    "correction",
    lambda c: c.corrections,
    (
        field(Correction, "date", pl.Date()),
        field(Correction, "wrong", pl.String()),
        field(Correction, "change", pl.String()),
        field(Correction, "reason", pl.String()),
    ),
)


SOURCE_FIELDS = (
    "id",
    "title",
    "language",
    "author",
    "publisher",
    "published",
    "url",
    "retrieved",
    "archived",
    "rights",
    "redistribution",
    "text_file",
    "media_type",
    "sha256",
    "notes",
)


def _source_rows(_: list[Claim], seeds: Sequence[SourceDocument]) -> Iterator[tuple[Any, ...]]:
    for seed in seeds:
        yield tuple(_attr(seed, name) for name in SOURCE_FIELDS)


def _source_type(name: str) -> pl.DataType:
    if name == "archived":
        return pl.Date()
    if name == "redistribution":
        return enum(vocab.Redistribution)
    return pl.String()


SOURCES = Table(
    "sources",
    "One row per archived source document (seed).",
    ("seed_id",),
    tuple(
        Column("seed_id" if n == "id" else n, _source_type(n), doc(SourceDocument, n))
        for n in SOURCE_FIELDS
    ),
    _source_rows,
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        CLAIMS,
        EVIDENCE,
        ATTRIBUTIONS,
        STATUS_HISTORY,
        RESPONSES,
        SUBJECTS,
        EXTERNAL_IDS,
        CORRECTIONS,
        SOURCES,
    )
}


def build_tables(claims: list[Claim], seeds: Sequence[SourceDocument]) -> dict[str, pl.DataFrame]:
    """Every table from validated records, rows sorted by key."""
    return {name: table.build(claims, seeds) for name, table in TABLES.items()}
