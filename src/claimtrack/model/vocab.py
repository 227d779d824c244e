"""Controlled vocabularies, documented term by term.

Each vocabulary is a ``StrEnum`` whose members are written once, with their definition:
``REPORTED = "reported", "Reported by a source, ..."``. The class docstring is the vocabulary's
summary. Definitions become the JSON Schema's ``description`` and ``enumDescriptions`` (shown
by editors), the data dictionary and ``docs/vocabularies.md``; how other systems' labels map
onto the confirmation status is in :mod:`claimtrack.model.labels`. None of the values is read
by YAML 1.1 as a boolean.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Vocabulary(StrEnum):
    """Base for vocabularies: each member is a value and its definition."""

    definition: str

    def __new__(cls, value: str, definition: str) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member

    @classmethod
    def summary(cls) -> str:
        return " ".join((cls.__doc__ or "").split())

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result: dict[str, Any] = handler(schema)
        result = handler.resolve_ref_schema(result)
        result["description"] = (
            cls.summary() + " " + " ".join(f"`{m.value}`: {m.definition}" for m in cls)
        )
        result["enumDescriptions"] = [m.definition for m in cls]
        return result


class ConfirmationStatus(Vocabulary):
    """How established the claim is, on the evidence recorded."""

    REPORTED = (
        "reported",
        "Reported by a source, not confirmed by anyone with direct knowledge or by independent "
        "evidence.",
    )
    CONFIRMED = (
        "confirmed",
        "Confirmed by a party with direct knowledge, an official record or independent evidence.",
    )
    PARTLY_CONFIRMED = (
        "partly_confirmed",
        "Some parts confirmed, others not, or confirmed with material qualifications (a rater's "
        "'half true' or 'mostly true'). The central assertion is not shown false (else "
        "`mostly_false`) and the claim does not mislead by what it leaves out (else `misleading`).",
    )
    MISLEADING = (
        "misleading",
        "The facts stated may be accurate, but the claim as made gives a false impression: it "
        "leaves out context that changes its meaning, cherry-picks, exaggerates, or uses a real "
        "quote, figure or image out of its context. Use `mostly_false` when the central fact "
        "itself is wrong.",
    )
    MOSTLY_FALSE = (
        "mostly_false",
        "The central assertion is inaccurate, though an element of it is true (a rater's 'mostly "
        "false'; PolitiFact's older 'barely true'). Use `refuted` when nothing of it holds.",
    )
    DISPUTED = "disputed", "Credible sources contradict each other; the evidence conflicts."
    REFUTED = (
        "refuted",
        "Shown to be false by a party with direct knowledge or by independent evidence.",
    )
    INSUFFICIENT_EVIDENCE = (
        "insufficient_evidence",
        "Checked, but the available evidence neither confirms nor refutes it.",
    )
    RETRACTED = "retracted", "Withdrawn or corrected by the source that made or reported it."
    NOT_CHECKABLE = (
        "not_checkable",
        "Not a checkable statement of fact: an opinion, a value judgement, a prediction, or "
        "satire.",
    )


class ResponseType(Vocabulary):
    """How a party involved answered, as reported."""

    NOT_CONTACTED = "not_contacted", "The party was not asked, as far as the sources say."
    AWAITING_REPLY = "awaiting_reply", "The party was asked and its answer is still awaited."
    NO_REPLY = "no_reply", "The party was asked and did not answer by the deadline."
    DECLINED_TO_COMMENT = (
        "declined_to_comment",
        "The party was asked and explicitly declined to comment.",
    )
    COMMENTED = (
        "commented",
        "The party spoke on the record about the matter without confirming or denying the claim.",
    )
    NOT_CONFIRMED = (
        "not_confirmed",
        "The source reports that the party has not confirmed the claim, without saying that it "
        "was asked or declined.",
    )
    CONFIRMED = "confirmed", "The party confirmed the claim."
    PARTLY_CONFIRMED = "partly_confirmed", "The party confirmed part of the claim."
    DENIED = "denied", "The party denied the claim."
    DISPUTED_DETAILS = "disputed_details", "The party accepted the substance but disputed details."
    CORRECTED = "corrected", "The party issued a correction of the claim."
    RETRACTED = "retracted", "The party withdrew or deleted its own statement."


class ClaimKind(Vocabulary):
    """What sort of assertion the claim is."""

    EVENT = "event", "Something happened or was done, e.g. a contract was signed."
    QUANTITY = "quantity", "A measurable amount: a value, a count, a duration."
    JURISDICTION = "jurisdiction", "Where something is located or held, or whose law applies."
    ACCESS = "access", "Who may or may not access something."
    PURPOSE = "purpose", "What something is for or is meant to achieve."
    DESCRIPTION = "description", "A property or characteristic of something, e.g. how secure it is."
    CRITICISM = "criticism", "An objection or criticism voiced by someone."
    POSITION = "position", "A party's own statement of its practice, priorities or policy."
    UNCLASSIFIED = (
        "unclassified",
        "Not classified yet, e.g. imported from a dataset that does not say.",
    )


class AttributionRole(Vocabulary):
    """The part a link plays in the chain from origin to archived source."""

    ASSERTER = (
        "asserter",
        "Makes the assertion in its own name (PROV wasAttributedTo; ClaimReview Claim.author).",
    )
    CITED_SOURCE = (
        "cited_source",
        "Is cited by the asserter as the origin of the information, possibly anonymously (PROV "
        "hadPrimarySource).",
    )
    FIRST_REPORTER = (
        "first_reporter",
        "The outlet that first published the assertion (ClaimReview firstAppearance).",
    )
    RELAY = (
        "relay",
        "An archived document that repeats or reports the assertion (ClaimReview appearance; PROV"
        " wasQuotedFrom); it names the seed it is archived as.",
    )


class EntityType(Vocabulary):
    """What kind of entity a subject, party or attribution link is."""

    PERSON = "person", "A named or unnamed individual, e.g. a spokesperson."
    ORGANISATION = "organisation", "A non-commercial organisation or an unspecified group."
    COMPANY = "company", "A company or one of its divisions."
    GOVERNMENT = "government", "A government, ministry or state agency."
    NEWS_OUTLET = "news_outlet", "A newspaper, broadcaster or news site."
    NEWS_AGENCY = "news_agency", "A news agency such as AFP or Reuters."
    ANONYMOUS = "anonymous", "An unnamed source, e.g. 'sources close to the matter'."
    DOCUMENT = (
        "document",
        "A document speaking in its own voice, e.g. an article's unattributed text.",
    )
    UNKNOWN = (
        "unknown",
        "Named, but of a kind the source does not say, e.g. an imported claimant "
        "('Mairie') with no type given (claim format 1.4).",
    )


class TranslationMethod(Vocabulary):
    """Who produced a translation."""

    HUMAN = "human", "Translated by a person."
    MACHINE = (
        "machine",
        "Produced by software (machine translation or an AI model) and not reviewed by a "
        "professional translator.",
    )


class ResidencyConstraint(Vocabulary):
    """How the listed countries constrain where something is held."""

    ONLY_IN = "only_in", "Held exclusively in the listed countries."
    NOT_IN = "not_in", "Never held in the listed countries."
    INCLUDES = "includes", "Held at least partly in the listed countries."


class AccessLevel(Vocabulary):
    """How much access the named party has."""

    NONE = "none", "No access at all."
    RESTRICTED = "restricted", "Limited or conditional access."
    FULL = "full", "Unrestricted access."


class Redistribution(Vocabulary):
    """What of an archived source may leave the repository in releases, the wheel and the site."""

    FULL_TEXT = (
        "full_text",
        "The whole archived text may be published: its licence allows it (say which in `rights`).",
    )
    QUOTES_ONLY = (
        "quotes_only",
        "Only the quoted passages, with their offsets, may be published; the text stays in the "
        "repository. The default when the rights are unknown or reserved.",
    )
    NONE = (
        "none",
        "Nothing of the text leaves the repository, not even the quotes: releases keep only "
        "offsets and hashes, which anyone holding the text can check.",
    )


VOCABULARIES: tuple[type[Vocabulary], ...] = (
    ConfirmationStatus,
    ResponseType,
    ClaimKind,
    AttributionRole,
    EntityType,
    TranslationMethod,
    ResidencyConstraint,
    AccessLevel,
    Redistribution,
)
