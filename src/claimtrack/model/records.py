"""The data model: the single source of truth for schemas, validation and tables.

Two record types live in a dataset: a :class:`Claim` per file in ``claims/`` and a
:class:`SourceDocument` per archived document in ``seeds/``. Every field has a description,
which becomes the JSON Schema and the data dictionary.

Rules that span several fields (ranges, history order, references between parts of a claim) are
in :mod:`claimtrack.model.rules`, which reads these models: :func:`claimtrack.model.rules.
parse_claim` builds a claim and applies them, and the validator reports each violation at its
own line.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from claimtrack.model import vocab
from claimtrack.model.base import Record
from claimtrack.model.reviews import Rating, Review
from claimtrack.model.text import quote_digest
from claimtrack.model.types import (
    Amount,
    ClaimId,
    CountryCode,
    CurrencyCode,
    FileName,
    HttpUrl,
    IsoDuration,
    LanguageTag,
    LocalId,
    PartialDate,
    PastDate,
    SeedId,
    Sha256,
    Slug,
    Text,
    Timestamp,
    WikidataId,
)

SCHEMA_VERSION = "1.4"  # of the claim format written now; earlier files stay valid
SEED_SCHEMA_VERSION = "1.3"  # of the seed metadata format; earlier seed files stay valid
# the claim format's versions, and the vocabulary terms each one added (status, response)
TERMS_ADDED: dict[str, frozenset[tuple[str, str]]] = {
    "1.0": frozenset(),
    "1.1": frozenset(
        {("status", "misleading"), ("status", "mostly_false"), ("response", "commented")}
    ),
    "1.2": frozenset(),
    "1.3": frozenset(),
    "1.4": frozenset({("entity", "unknown")}),
}
# the fields each claim format version added (a JSON pointer pattern: `*` for any position)
FIELDS_ADDED: dict[str, tuple[str, ...]] = {
    "1.2": ("/claim_date", "/history/*/rating", "/history/*/url", "/history/*/published"),
    "1.3": ("/corrections",),
    "1.4": ("/reviews", "/same_as"),
}


class QuoteBudget(Record):
    """How much of a `quotes_only` source the dataset may publish (docs/publishing.md)."""

    share: float | None = Field(
        default=None,
        gt=0,
        le=1 / 3,
        description="Largest share of the text's characters that the published quotes, "
        "original wordings and their translations may cover together (default 0.25; above "
        "0.25 only with a `reason`, never above a third).",
    )
    max_quote: int | None = Field(
        default=None, ge=1, description="Longest quote, in characters (default 200)."
    )
    reason: Text | None = Field(
        default=None,
        description="Why this source needs a budget above the default (required above 0.25).",
    )


class SourceDocument(Record):
    """Metadata of an archived source document; its text sits beside it in `seeds/`."""

    schema_version: Literal["1.0", "1.1", "1.2", "1.3"] = Field(
        description="Version of this metadata format (`1.1` added `redistribution`; `1.2` the "
        "`original_*` fields and `extracted_with`; `1.3` `quote_budget`)."
    )
    id: SeedId = Field(description="Seed id; equal to this metadata file's name without `.yaml`.")
    title: Text = Field(description="Title of the document, as it appears in it.")
    language: LanguageTag = Field(description="Language of the text (BCP 47).")
    author: Text | None = Field(description="Author as named in the document; null if unknown.")
    publisher: Text | None = Field(
        description="Publisher or outlet; null if the archived copy does not say (never guessed)."
    )
    published: PartialDate | None = Field(
        description="Publication date as the document gives it; null if unknown."
    )
    url: HttpUrl | None = Field(description="Original URL; null if unknown (never guessed).")
    retrieved: PartialDate | None = Field(
        description="When the document was fetched from its original location; null if unknown."
    )
    archived: PastDate = Field(description="When the document was added to this dataset.")
    rights: Text = Field(description="Copyright holder and terms, or what is known of them.")
    redistribution: vocab.Redistribution = Field(
        default=vocab.Redistribution.QUOTES_ONLY,
        description="What of the text may be published in releases, the wheel and the site "
        "(`quotes_only` when not given: the cautious default).",
    )
    text_file: FileName = Field(description="File name of the archived text in `seeds/`.")
    media_type: Literal[
        "text/plain; charset=utf-8",
        "text/tab-separated-values; charset=utf-8",
        "application/json; charset=utf-8",
        "application/ld+json; charset=utf-8",
    ] = Field(description="Media type of the archived file.")
    sha256: Sha256 = Field(description="SHA-256 of the archived text file's bytes.")
    original_file: FileName | None = Field(
        default=None,
        description="When the text was extracted from another file (a web page, a PDF, a web "
        "archive): that file, archived byte for byte in `seeds/`.",
    )
    original_media_type: Literal["text/html", "application/pdf", "application/warc"] | None = Field(
        default=None, description="Media type of `original_file`."
    )
    original_sha256: Sha256 | None = Field(
        default=None, description="SHA-256 of `original_file`'s bytes."
    )
    extracted_with: Text | None = Field(
        default=None,
        description="The tool (and version) that extracted the text from `original_file`.",
    )
    quote_budget: QuoteBudget | None = Field(
        default=None,
        description="For a `quotes_only` source: a budget other than the default quarter of its "
        "text and 200 characters per quote.",
    )
    notes: Text | None = Field(
        default=None, description="Anything a reader should know about this copy."
    )


class OriginalWording(Record):
    """The assertion in the words and language of the source."""

    text: Text = Field(description="The assertion as worded in the source, in its language.")
    language: LanguageTag = Field(description="Language of `text` (BCP 47).")


class Subject(Record):
    """An entity the claim is about."""

    name: Text = Field(description="Usual English name of the entity.")
    type: vocab.EntityType = Field(description="What kind of entity it is.")
    wikidata: WikidataId | None = Field(
        default=None, description="Wikidata item id, when it has been checked."
    )


class MoneyValue(Record):
    """A money amount or range (schema.org MonetaryAmount), with exact decimal bounds."""

    type: Literal["money"] = Field(description="Discriminator: a money amount or range.")
    currency: CurrencyCode = Field(description="ISO 4217 currency of the amounts.")
    amount: Amount | None = Field(default=None, description="Exact single amount, if one is given.")
    min: Amount | None = Field(default=None, description="Lower bound of a range (inclusive).")
    max: Amount | None = Field(default=None, description="Upper bound of a range (inclusive).")
    period: IsoDuration | None = Field(
        default=None, description="Period the amount covers, as an ISO 8601 duration (`P10Y`)."
    )
    estimate: bool = Field(description="True when the source presents the figure as an estimate.")


class JurisdictionValue(Record):
    """Where something is held or located, as ISO 3166 country codes."""

    type: Literal["jurisdiction"] = Field(description="Discriminator: a residency constraint.")
    object: Text = Field(description="What is held or located, e.g. 'the agencies' data'.")
    constraint: vocab.ResidencyConstraint = Field(description="How the countries constrain it.")
    countries: list[CountryCode] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes.")


class AccessValue(Record):
    """Who may access something, and how much."""

    type: Literal["access"] = Field(description="Discriminator: an access restriction.")
    object: Text = Field(description="What is accessed, e.g. 'information on the platform'.")
    party: Text = Field(description="Who the restriction applies to.")
    access: vocab.AccessLevel = Field(description="The level of access the party has.")


class TextValue(Record):
    """Fallback for a value that no typed variant fits yet."""

    type: Literal["text"] = Field(description="Discriminator: an untyped value.")
    text: Text = Field(description="The value in words.")


StructuredValue = Annotated[
    MoneyValue | JurisdictionValue | AccessValue | TextValue,
    Field(discriminator="type"),
]


class AttributionLink(Record):
    """One link of the chain from the claim's origin to the archived source that carries it."""

    role: vocab.AttributionRole = Field(description="The part this link plays in the chain.")
    name: Text = Field(
        description="Who: a name, or a description for an unnamed source ('Government "
        "spokesperson (unnamed)')."
    )
    type: vocab.EntityType = Field(description="What kind of entity this link is.")
    as_described: Text | None = Field(
        default=None,
        description="How the source words this link, verbatim, in its language (e.g. 'people "
        "familiar with the talks').",
    )
    context: Text | None = Field(
        default=None, description="Where or how it was said, e.g. 'briefing with journalists'."
    )
    seed: SeedId | None = Field(
        default=None, description="For a `relay`: the archived document, by seed id."
    )
    wikidata: WikidataId | None = Field(
        default=None, description="Wikidata item id, when it has been checked."
    )
    url: HttpUrl | None = Field(
        default=None, description="Where this link published or said it, when known."
    )


class Translation(Record):
    """A translation of a quote, always marked as a translation."""

    text: Text = Field(description="The translated text.")
    language: LanguageTag = Field(description="Language of the translation (BCP 47).")
    method: vocab.TranslationMethod = Field(description="Who produced the translation.")
    translator: Text | None = Field(default=None, description="Who translated, if known.")


class Quote(Record):
    """A verbatim passage of an archived source document that supports the claim."""

    id: LocalId = Field(description="Quote id, unique within the claim (`q1`, `q2`...).")
    seed: SeedId = Field(description="The archived source document quoted.")
    text: Text = Field(
        description="The passage, verbatim in the source's language (only whitespace and quote "
        "marks may differ)."
    )
    start: int | None = Field(
        default=None,
        ge=0,
        description="Offset (in characters) of the first character in the "
        "seed text; with `end`, for text seeds.",
    )
    end: int | None = Field(
        default=None, ge=1, description="Offset just past the last character (exclusive)."
    )
    locator: Text | None = Field(
        default=None,
        description="For a JSON seed: the JSON pointer of the string that holds "
        "the passage (e.g. `/12/claim`), instead of offsets.",
    )
    language: LanguageTag = Field(description="Language of the passage (BCP 47).")
    translation: Translation | None = Field(
        default=None, description="An English translation, marked as one."
    )

    @property
    def text_sha256(self) -> str:
        """SHA-256 of the quote's comparison form (whitespace folded, quote marks unified)."""
        return quote_digest(self.text)


class StatusChange(Record):
    """An entry of the append-only status history."""

    date: PastDate = Field(description="The date the status holds from (as-of date).")
    status: vocab.ConfirmationStatus = Field(description="The confirmation status from that date.")
    reason: Text = Field(description="What changed it: the event or publication.")
    evidence: list[LocalId] = Field(
        default_factory=list, description="Ids of this claim's quotes that support the change."
    )
    rated_by: Text | None = Field(
        default=None,
        description="Who rated the claim, when the status comes from a rating (e.g. PolitiFact).",
    )
    source_label: Text | None = Field(
        default=None,
        description="The rater's own label, verbatim (e.g. `pants-fire`), beside "
        "the mapped status.",
    )
    rating: Rating | None = Field(
        default=None,
        description="The rater's numeric rating on its own scale, verbatim, when it gave one.",
    )
    url: HttpUrl | None = Field(
        default=None, description="The rater's published review of the claim, if any."
    )
    published: PartialDate | None = Field(
        default=None,
        description="When the rater published its rating, as it states; null if it does not "
        "say (then `date` is when the rating was recorded here).",
    )
    note: Text | None = Field(default=None, description="Anything else worth knowing.")


class PartyResponse(Record):
    """How a party involved answered, as reported."""

    party: Text = Field(description="The party asked or reported on.")
    type: vocab.EntityType = Field(description="What kind of entity the party is.")
    response: vocab.ResponseType = Field(description="Its response.")
    asked_by: Text | None = Field(default=None, description="Who asked the party, e.g. 'AFP'.")
    date: PartialDate | None = Field(default=None, description="When it answered; null if unknown.")
    words: Text | None = Field(default=None, description="Its verbatim words, if any.")
    evidence: list[LocalId] = Field(
        default_factory=list, description="Ids of this claim's quotes that report the response."
    )


class ExternalId(Record):
    """The claim's identifier in another dataset or system it was imported from or links to."""

    system: Slug = Field(description="The dataset or system, e.g. `liar`, `averitec`.")
    id: Text = Field(description="The record's id there, verbatim.")
    url: HttpUrl | None = Field(default=None, description="The record's URL there, if any.")


class Correction(Record):
    """A dated correction of a published claim record: what was wrong, what changed and why."""

    date: PastDate = Field(description="When the correction was made.")
    wrong: Text = Field(description="What the published record said that was wrong.")
    change: Text = Field(description="What the record says now.")
    reason: Text = Field(description="Why: the evidence or the error that led to it.")


class Claim(Record):
    """One assertion, who made and relayed it, the verbatim evidence and how confirmed it is."""

    schema_version: Literal["1.0", "1.1", "1.2", "1.3", "1.4"] = Field(
        description="Version of the claim format. `1.1` added the statuses `misleading` and "
        "`mostly_false` and the response `commented`; `1.2` added `claim_date` and, in the "
        "history, `rating`, `url` and `published`; `1.3` added `corrections`; `1.4` added "
        "`reviews`, `same_as` and the entity type `unknown`. A file of an earlier version stays "
        "valid as long as it uses none of them."
    )
    id: ClaimId = Field(description="Claim id; equal to the file name without `.yaml`.")
    statement: Text = Field(
        max_length=300,
        description="The assertion as one short canonical English sentence.",
    )
    original: OriginalWording | None = Field(
        default=None, description="The assertion in the source's own language and words."
    )
    claim_date: PartialDate | None = Field(
        default=None,
        description="When the claim was made (said, posted, published), as a source states it; "
        "null if unknown (never guessed).",
    )
    kind: vocab.ClaimKind = Field(description="What sort of assertion this is.")
    topics: list[Slug] = Field(default_factory=list, description="Subject areas, as slugs.")
    subjects: list[Subject] = Field(
        default_factory=list,
        description="Entities the claim is about (may be empty when the source does not say).",
    )
    value: StructuredValue | None = Field(
        default=None, description="The claim's typed value, where it has one."
    )
    attribution: list[AttributionLink] = Field(
        min_length=1,
        description="The attribution chain, from origin (asserter, cited sources) to the "
        "archived relay.",
    )
    evidence: list[Quote] = Field(min_length=1, description="Verbatim quotes backing the claim.")
    status: vocab.ConfirmationStatus = Field(
        description="Current confirmation status; equal to the last history entry's."
    )
    history: list[StatusChange] = Field(
        min_length=1, description="Append-only status history, oldest first."
    )
    responses: list[PartyResponse] = Field(
        default_factory=list, description="Responses of the parties involved."
    )
    reviews: list[Review] = Field(
        default_factory=list,
        description="Published reviews of the claim by fact-checkers, one per rater and review, "
        "oldest first: each rater's verdict as given. They inform the status history but are "
        "not entries of it.",
    )
    same_as: list[ClaimId] = Field(
        default_factory=list,
        description="Ids of other records of this dataset that state the same claim (e.g. an "
        "imported review and the editor's own record); joined by an editor, never merged. "
        "`claimtrack claim same-as` records a link on both records.",
    )
    tags: list[Slug] = Field(default_factory=list, description="Free labels for grouping.")
    external_ids: list[ExternalId] = Field(
        default_factory=list, description="Ids of this claim in the datasets it came from."
    )
    corrections: list[Correction] = Field(
        default_factory=list,
        description="Corrections of the record once published, oldest first: kept apart from "
        "the status history, which records what is known of the claim itself.",
    )
    notes: Text | None = Field(default=None, description="Editorial notes on the record.")
    created: Timestamp = Field(description="When this record was created.")
    updated: Timestamp = Field(description="When this record was last changed.")


def optional_fields(model: type[BaseModel]) -> dict[str, Any]:
    """The fields a record of ``model`` may leave out, with the value each then has: what a
    reader of records made by older claim formats fills in."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def part_models(model: type[BaseModel] = Claim) -> dict[str, type[BaseModel]]:
    """The fields of ``model`` that are lists of records, and the model of their items."""
    found = {}
    for name, info in model.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            (item,) = typing.get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                found[name] = item
    return found
