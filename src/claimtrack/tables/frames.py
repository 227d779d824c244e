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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl
from pydantic import BaseModel

from claimtrack.model.records import (
    AccessValue,
    AttributionLink,
    Claim,
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
from claimtrack.model.vocab import (
    AccessLevel,
    AttributionRole,
    ClaimKind,
    ConfirmationStatus,
    EntityType,
    ResidencyConstraint,
    ResponseType,
    TranslationMethod,
    Vocabulary,
)

MONEY = pl.Decimal(38, 6)
UTC = pl.Datetime("us", "UTC")
TEXTS = pl.List(pl.String)


def enum(vocab: type[Vocabulary]) -> pl.Enum:
    return pl.Enum([m.value for m in vocab])


def doc(model: type[BaseModel], name: str) -> str:
    """A model field's description: the one text behind schema, dictionary and docs."""
    return model.model_fields[name].description or ""


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    description: str


@dataclass(frozen=True)
class Table:
    """A table: its columns, its key, and how to get its rows from the records."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: Callable[[list[Claim], list[SourceDocument]], Iterator[tuple[Any, ...]]]

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})

    def build(self, claims: list[Claim], seeds: list[SourceDocument]) -> pl.DataFrame:
        return pl.DataFrame(list(self.rows(claims, seeds)), schema=self.schema, orient="row").sort(
            list(self.key)
        )


def _claim_id(table: str) -> Column:
    return Column("claim_id", pl.String(), f"Id of the claim this {table} row belongs to.")


def _position(what: str) -> Column:
    return Column("position", pl.UInt32(), f"0-based position of the {what} in the claim file.")


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


def _claim_rows(claims: list[Claim], _: list[SourceDocument]) -> Iterator[tuple[Any, ...]]:
    for c in claims:
        asserters = [a.name for a in c.attribution if a.role is AttributionRole.ASSERTER]
        seeds = sorted({q.seed for q in c.evidence})
        yield (
            c.id,
            c.statement,
            c.original.text if c.original else None,
            c.original.language if c.original else None,
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
        Column("kind", enum(ClaimKind), doc(Claim, "kind")),
        Column("status", enum(ConfirmationStatus), doc(Claim, "status")),
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
        Column("value_constraint", enum(ResidencyConstraint), doc(JurisdictionValue, "constraint")),
        Column("value_countries", TEXTS, doc(JurisdictionValue, "countries")),
        Column("value_party", pl.String(), doc(AccessValue, "party")),
        Column("value_access", enum(AccessLevel), doc(AccessValue, "access")),
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


def _nested(
    items: Callable[[Claim], Iterable[Any]], row: Callable[[Any], tuple[Any, ...]]
) -> Callable[[list[Claim], list[SourceDocument]], Iterator[tuple[Any, ...]]]:
    def rows(claims: list[Claim], _: list[SourceDocument]) -> Iterator[tuple[Any, ...]]:
        for claim in claims:
            for i, item in enumerate(items(claim)):
                yield (claim.id, i, *row(item))

    return rows


def _quote_row(q: Quote) -> tuple[Any, ...]:
    t = q.translation
    return (
        q.id,
        q.seed,
        q.text,
        q.start,
        q.end,
        q.locator,
        q.language,
        t.text if t else None,
        t.language if t else None,
        t.method.value if t else None,
        t.translator if t else None,
    )


EVIDENCE = Table(
    "evidence",
    "One row per quote: the verbatim passage, where it stands in its seed, and its translation.",
    ("claim_id", "position"),
    (
        _claim_id("quote"),
        _position("quote"),
        Column("quote_id", pl.String(), doc(Quote, "id")),
        Column("seed_id", pl.String(), doc(Quote, "seed")),
        Column("text", pl.String(), doc(Quote, "text")),
        Column("start", pl.UInt32(), doc(Quote, "start")),
        Column("end", pl.UInt32(), doc(Quote, "end")),
        Column("locator", pl.String(), doc(Quote, "locator")),
        Column("language", pl.String(), doc(Quote, "language")),
        Column("translation_text", pl.String(), doc(Translation, "text")),
        Column("translation_language", pl.String(), doc(Translation, "language")),
        Column("translation_method", enum(TranslationMethod), doc(Translation, "method")),
        Column("translator", pl.String(), doc(Translation, "translator")),
    ),
    _nested(lambda c: c.evidence, _quote_row),
)

ATTRIBUTIONS = Table(
    "attributions",
    "One row per link of each claim's attribution chain, in chain order.",
    ("claim_id", "position"),
    (
        _claim_id("link"),
        _position("link"),
        Column("role", enum(AttributionRole), doc(AttributionLink, "role")),
        Column("name", pl.String(), doc(AttributionLink, "name")),
        Column("type", enum(EntityType), doc(AttributionLink, "type")),
        Column("as_described", pl.String(), doc(AttributionLink, "as_described")),
        Column("context", pl.String(), doc(AttributionLink, "context")),
        Column("seed_id", pl.String(), doc(AttributionLink, "seed")),
        Column("wikidata", pl.String(), doc(AttributionLink, "wikidata")),
        Column("url", pl.String(), doc(AttributionLink, "url")),
    ),
    _nested(
        lambda c: c.attribution,
        lambda a: (
            a.role.value,
            a.name,
            a.type.value,
            a.as_described,
            a.context,
            a.seed,
            a.wikidata,
            a.url,
        ),
    ),
)

STATUS_HISTORY = Table(
    "status_history",
    "One row per entry of each claim's append-only status history, oldest first.",
    ("claim_id", "position"),
    (
        _claim_id("history"),
        _position("history entry"),
        Column("date", pl.Date(), doc(StatusChange, "date")),
        Column("status", enum(ConfirmationStatus), doc(StatusChange, "status")),
        Column("reason", pl.String(), doc(StatusChange, "reason")),
        Column("evidence", TEXTS, doc(StatusChange, "evidence")),
        Column("rated_by", pl.String(), doc(StatusChange, "rated_by")),
        Column("source_label", pl.String(), doc(StatusChange, "source_label")),
        Column("note", pl.String(), doc(StatusChange, "note")),
    ),
    _nested(
        lambda c: c.history,
        lambda h: (
            h.date,
            h.status.value,
            h.reason,
            h.evidence,
            h.rated_by,
            h.source_label,
            h.note,
        ),
    ),
)

RESPONSES = Table(
    "responses",
    "One row per reported response of a party involved.",
    ("claim_id", "position"),
    (
        _claim_id("response"),
        _position("response"),
        Column("party", pl.String(), doc(PartyResponse, "party")),
        Column("type", enum(EntityType), doc(PartyResponse, "type")),
        Column("response", enum(ResponseType), doc(PartyResponse, "response")),
        Column("asked_by", pl.String(), doc(PartyResponse, "asked_by")),
        Column("date", pl.String(), doc(PartyResponse, "date") + " (partial date, as text)"),
        Column("words", pl.String(), doc(PartyResponse, "words")),
        Column("evidence", TEXTS, doc(PartyResponse, "evidence")),
    ),
    _nested(
        lambda c: c.responses,
        lambda r: (
            r.party,
            r.type.value,
            r.response.value,
            r.asked_by,
            r.date,
            r.words,
            r.evidence,
        ),
    ),
)

SUBJECTS = Table(
    "subjects",
    "One row per entity a claim is about.",
    ("claim_id", "position"),
    (
        _claim_id("subject"),
        _position("subject"),
        Column("name", pl.String(), doc(Subject, "name")),
        Column("type", enum(EntityType), doc(Subject, "type")),
        Column("wikidata", pl.String(), doc(Subject, "wikidata")),
    ),
    _nested(lambda c: c.subjects, lambda s: (s.name, s.type.value, s.wikidata)),
)


EXTERNAL_IDS = Table(
    "external_ids",
    "One row per id of a claim in another dataset or system (imports keep the source's id).",
    ("claim_id", "position"),
    (
        _claim_id("external id"),
        _position("external id"),
        Column("system", pl.String(), doc(ExternalId, "system")),
        Column("id", pl.String(), doc(ExternalId, "id")),
        Column("url", pl.String(), doc(ExternalId, "url")),
    ),
    _nested(lambda c: c.external_ids, lambda e: (e.system, e.id, e.url)),
)


def _source_rows(_: list[Claim], seeds: list[SourceDocument]) -> Iterator[tuple[Any, ...]]:
    for s in seeds:
        yield (
            s.id,
            s.title,
            s.language,
            s.author,
            s.publisher,
            s.published,
            s.url,
            s.retrieved,
            s.archived,
            s.rights,
            s.text_file,
            s.media_type,
            s.sha256,
            s.notes,
        )


SOURCES = Table(
    "sources",
    "One row per archived source document (seed).",
    ("seed_id",),
    tuple(
        Column(
            "seed_id" if name == "id" else name,
            pl.Date() if name == "archived" else pl.String(),
            doc(SourceDocument, name),
        )
        for name in (
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
            "text_file",
            "media_type",
            "sha256",
            "notes",
        )
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
        SOURCES,
    )
}


def build_tables(claims: list[Claim], seeds: list[SourceDocument]) -> dict[str, pl.DataFrame]:
    """Every table from validated records, rows sorted by key."""
    return {name: table.build(claims, seeds) for name, table in TABLES.items()}
