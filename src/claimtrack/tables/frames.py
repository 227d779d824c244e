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
    SourceDocument,
    StatusChange,
    Subject,
    TextValue,
    Translation,
)
from claimtrack.model.reviews import Rating, Review

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
    get: Callable[[Any], Any] | None = None  # claims: how a claim gives the cell


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


# ---------------------------------------------------------------- claims


def _of(kind: type[BaseModel], attr: str) -> Callable[[Claim], Any]:
    """A typed value's attribute, for a claim whose value is of that kind (else None)."""

    def get(claim: Claim) -> Any:
        value = claim.value
        return _plain(getattr(value, attr)) if isinstance(value, kind) else None

    return get


def _value_object(claim: Claim) -> str | None:
    value = claim.value
    return value.object if isinstance(value, JurisdictionValue | AccessValue) else None


def _asserters(claim: Claim) -> list[str]:
    return [a.name for a in claim.attribution if a.role is vocab.AttributionRole.ASSERTER]


def column(name: str, dtype: pl.DataType, description: str, get: Callable[[Claim], Any]) -> Column:
    """A column of the claims table: what it holds, and how a claim gives it."""
    return Column(name, dtype, description, get=get)


def own(attr: str, dtype: pl.DataType, name: str = "") -> Column:
    """A claims column that is one field of the claim, described as the model describes it."""
    return Column(name or attr, dtype, doc(Claim, attr), get=_getter(attr))


def _claim_rows(claims: list[Claim], _: Sequence[SourceDocument]) -> Iterator[tuple[Any, ...]]:
    getters = [c.get for c in CLAIM_COLUMNS if c.get is not None]
    for claim in claims:
        yield tuple([get(claim) for get in getters])


CLAIM_COLUMNS: tuple[Column, ...] = (
    own("id", pl.String(), "claim_id"),
    own("statement", pl.String()),
    column("original_text", pl.String(), "The assertion in the source's own words.",
           lambda c: c.original.text if c.original else None),
    column("original_language", pl.String(), "Language of `original_text` (BCP 47).",
           lambda c: c.original.language if c.original else None),
    own("claim_date", pl.String()),
    own("kind", enum(vocab.ClaimKind)),
    own("status", enum(vocab.ConfirmationStatus)),
    column("status_since", pl.Date(), "As-of date of the last status history entry.",
           lambda c: c.history[-1].date),
    column("first_recorded", pl.Date(), "As-of date of the first status history entry.",
           lambda c: c.history[0].date),
    column("asserted_by", TEXTS, "Names of the attribution links with role `asserter`.",
           _asserters),
    column("subjects", TEXTS, "Names of the entities the claim is about.",
           lambda c: [s.name for s in c.subjects]),
    own("topics", TEXTS),
    own("tags", TEXTS),
    own("same_as", TEXTS),
    column("value_type", pl.Enum(["money", "jurisdiction", "access", "text"]),
           "Which typed value the claim has; null if none.",
           lambda c: c.value.type if c.value else None),
    column("value_currency", pl.String(), doc(MoneyValue, "currency"), _of(MoneyValue, "currency")),
    column("value_amount", MONEY, doc(MoneyValue, "amount"), _of(MoneyValue, "amount")),
    column("value_min", MONEY, doc(MoneyValue, "min"), _of(MoneyValue, "min")),
    column("value_max", MONEY, doc(MoneyValue, "max"), _of(MoneyValue, "max")),
    column("value_period", pl.String(), doc(MoneyValue, "period"), _of(MoneyValue, "period")),
    column("value_estimate", pl.Boolean(), doc(MoneyValue, "estimate"),
           _of(MoneyValue, "estimate")),
    column("value_constraint", enum(vocab.ResidencyConstraint),
           doc(JurisdictionValue, "constraint"), _of(JurisdictionValue, "constraint")),
    column("value_countries", TEXTS, doc(JurisdictionValue, "countries"),
           _of(JurisdictionValue, "countries")),
    column("value_party", pl.String(), doc(AccessValue, "party"), _of(AccessValue, "party")),
    column("value_access", enum(vocab.AccessLevel), doc(AccessValue, "access"),
           _of(AccessValue, "access")),
    column("value_object", pl.String(), "What a jurisdiction or access value is about.",
           _value_object),
    column("value_text", pl.String(), doc(TextValue, "text"), _of(TextValue, "text")),
    column("quote_count", pl.UInt32(), "Number of quotes in the claim's evidence.",
           lambda c: len(c.evidence)),
    column("seed_ids", TEXTS, "Ids of the seeds its quotes come from.",
           lambda c: sorted({q.seed for q in c.evidence})),
    own("notes", pl.String()),
    own("created", UTC),
    own("updated", UTC),
)  # fmt: skip

CLAIMS = Table(
    "claims",
    "One row per claim: the assertion, its kind, its current status and its typed value.",
    ("claim_id",),
    CLAIM_COLUMNS,
    _claim_rows,
)

# ---------------------------------------------------------------- nested parts


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

REVIEWS = nested(
    "reviews",
    "One row per published review of a claim by a fact-checker: each rater's verdict as given.",
    "review",
    lambda c: c.reviews,
    (
        field(Review, "rater", pl.String()),
        field(Review, "url", pl.String()),
        field(Review, "published", pl.String()),
        field(Review, "label", pl.String()),
        field(Review, "language", pl.String()),
        field(Review, "status", enum(vocab.ConfirmationStatus)),
        Column("rating_value", pl.Float64(), doc(Rating, "value"), "rating.value"),
        Column("rating_best", pl.Float64(), doc(Rating, "best"), "rating.best"),
        Column("rating_worst", pl.Float64(), doc(Rating, "worst"), "rating.worst"),
        field(Review, "evidence", TEXTS),
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


SOURCE_FIELDS = tuple(
    "id title language author publisher published url retrieved archived rights redistribution "
    "text_file media_type sha256 notes".split()
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
    for t in (CLAIMS, EVIDENCE, ATTRIBUTIONS, STATUS_HISTORY, RESPONSES, SUBJECTS, EXTERNAL_IDS,
              CORRECTIONS, REVIEWS, SOURCES)
}  # fmt: skip


def build_tables(claims: list[Claim], seeds: Sequence[SourceDocument]) -> dict[str, pl.DataFrame]:
    """Every table from validated records, rows sorted by key."""
    return {name: table.build(claims, seeds) for name, table in TABLES.items()}
