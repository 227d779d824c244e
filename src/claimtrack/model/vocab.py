"""Controlled vocabularies, documented term by term.

Each vocabulary is a ``StrEnum`` whose members carry a definition; how other systems' labels
map onto the confirmation status is in :mod:`claimtrack.interop.labels`. The definitions
become the JSON Schema's ``description`` and ``enumDescriptions`` (shown by editors), the data
dictionary and ``docs/vocabularies.md``. None of the values is read by YAML 1.1 as a boolean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


@dataclass(frozen=True)
class Term:
    """One term of a vocabulary: its definition (how other systems name it is in
    :mod:`claimtrack.interop.labels`)."""

    definition: str


class Vocabulary(StrEnum):
    """Base for vocabularies: members are described by the ``TERMS`` mapping."""

    TERMS: ClassVar[dict[str, Term]]
    SUMMARY: ClassVar[str]

    @classmethod
    def term(cls, value: str) -> Term:
        return cls.TERMS[value]

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        result: dict[str, Any] = handler(schema)
        result = handler.resolve_ref_schema(result)
        result["description"] = (
            cls.SUMMARY
            + " "
            + " ".join(f"`{m.value}`: {cls.TERMS[m.value].definition}" for m in cls)
        )
        result["enumDescriptions"] = [cls.TERMS[m.value].definition for m in cls]
        return result


class ConfirmationStatus(Vocabulary):
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    PARTLY_CONFIRMED = "partly_confirmed"
    DISPUTED = "disputed"
    REFUTED = "refuted"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    RETRACTED = "retracted"
    NOT_CHECKABLE = "not_checkable"


ConfirmationStatus.SUMMARY = "How established the claim is, on the evidence recorded."
ConfirmationStatus.TERMS = {
    "reported": Term(
        "Reported by a source, not confirmed by anyone with direct knowledge or by independent "
        "evidence."
    ),
    "confirmed": Term(
        "Confirmed by a party with direct knowledge, an official record or independent evidence."
    ),
    "partly_confirmed": Term(
        "Some parts confirmed, others not, or confirmed with material qualifications."
    ),
    "disputed": Term("Credible sources contradict each other; the evidence conflicts."),
    "refuted": Term(
        "Shown to be false by a party with direct knowledge or by independent evidence."
    ),
    "insufficient_evidence": Term(
        "Checked, but the available evidence neither confirms nor refutes it."
    ),
    "retracted": Term("Withdrawn or corrected by the source that made or reported it."),
    "not_checkable": Term(
        "Not a checkable statement of fact: an opinion, a value judgement or a prediction."
    ),
}


class ResponseType(Vocabulary):
    NOT_CONTACTED = "not_contacted"
    AWAITING_REPLY = "awaiting_reply"
    NO_REPLY = "no_reply"
    DECLINED_TO_COMMENT = "declined_to_comment"
    NOT_CONFIRMED = "not_confirmed"
    CONFIRMED = "confirmed"
    PARTLY_CONFIRMED = "partly_confirmed"
    DENIED = "denied"
    DISPUTED_DETAILS = "disputed_details"
    CORRECTED = "corrected"
    RETRACTED = "retracted"


ResponseType.SUMMARY = "How a party involved answered, as reported."
ResponseType.TERMS = {
    "not_contacted": Term("The party was not asked, as far as the sources say."),
    "awaiting_reply": Term("The party was asked and its answer is still awaited."),
    "no_reply": Term("The party was asked and did not answer by the deadline."),
    "declined_to_comment": Term("The party was asked and explicitly declined to comment."),
    "not_confirmed": Term(
        "The source reports that the party has not confirmed the claim, without saying that it "
        "was asked or declined."
    ),
    "confirmed": Term("The party confirmed the claim."),
    "partly_confirmed": Term("The party confirmed part of the claim."),
    "denied": Term("The party denied the claim."),
    "disputed_details": Term("The party accepted the substance but disputed details."),
    "corrected": Term("The party issued a correction of the claim."),
    "retracted": Term("The party withdrew or deleted its own statement."),
}


class ClaimKind(Vocabulary):
    EVENT = "event"
    QUANTITY = "quantity"
    JURISDICTION = "jurisdiction"
    ACCESS = "access"
    PURPOSE = "purpose"
    DESCRIPTION = "description"
    CRITICISM = "criticism"
    POSITION = "position"
    UNCLASSIFIED = "unclassified"


ClaimKind.SUMMARY = "What sort of assertion the claim is."
ClaimKind.TERMS = {
    "event": Term("Something happened or was done, e.g. a contract was signed."),
    "quantity": Term("A measurable amount: a value, a count, a duration."),
    "jurisdiction": Term("Where something is located or held, or whose law applies."),
    "access": Term("Who may or may not access something."),
    "purpose": Term("What something is for or is meant to achieve."),
    "description": Term("A property or characteristic of something, e.g. how secure it is."),
    "criticism": Term("An objection or criticism voiced by someone."),
    "position": Term("A party's own statement of its practice, priorities or policy."),
    "unclassified": Term("Not classified yet, e.g. imported from a dataset that does not say."),
}


class AttributionRole(Vocabulary):
    ASSERTER = "asserter"
    CITED_SOURCE = "cited_source"
    FIRST_REPORTER = "first_reporter"
    RELAY = "relay"


AttributionRole.SUMMARY = "The part a link plays in the chain from origin to archived source."
AttributionRole.TERMS = {
    "asserter": Term(
        "Makes the assertion in its own name (PROV wasAttributedTo; ClaimReview Claim.author)."
    ),
    "cited_source": Term(
        "Is cited by the asserter as the origin of the information, possibly anonymously "
        "(PROV hadPrimarySource)."
    ),
    "first_reporter": Term(
        "The outlet that first published the assertion (ClaimReview firstAppearance)."
    ),
    "relay": Term(
        "An archived document that repeats or reports the assertion (ClaimReview appearance; "
        "PROV wasQuotedFrom); it names the seed it is archived as."
    ),
}


class EntityType(Vocabulary):
    PERSON = "person"
    ORGANISATION = "organisation"
    COMPANY = "company"
    GOVERNMENT = "government"
    NEWS_OUTLET = "news_outlet"
    NEWS_AGENCY = "news_agency"
    ANONYMOUS = "anonymous"
    DOCUMENT = "document"


EntityType.SUMMARY = "What kind of entity a subject, party or attribution link is."
EntityType.TERMS = {
    "person": Term("A named or unnamed individual, e.g. a spokesperson."),
    "organisation": Term("A non-commercial organisation or an unspecified group."),
    "company": Term("A company or one of its divisions."),
    "government": Term("A government, ministry or state agency."),
    "news_outlet": Term("A newspaper, broadcaster or news site."),
    "news_agency": Term("A news agency such as AFP or Reuters."),
    "anonymous": Term("An unnamed source, e.g. 'sources close to the matter'."),
    "document": Term("A document speaking in its own voice, e.g. an article's unattributed text."),
}


class TranslationMethod(Vocabulary):
    HUMAN = "human"
    MACHINE = "machine"


TranslationMethod.SUMMARY = "Who produced a translation."
TranslationMethod.TERMS = {
    "human": Term("Translated by a person."),
    "machine": Term(
        "Produced by software (machine translation or an AI model) and not reviewed by a "
        "professional translator."
    ),
}


class ResidencyConstraint(Vocabulary):
    ONLY_IN = "only_in"
    NOT_IN = "not_in"
    INCLUDES = "includes"


ResidencyConstraint.SUMMARY = "How the listed countries constrain where something is held."
ResidencyConstraint.TERMS = {
    "only_in": Term("Held exclusively in the listed countries."),
    "not_in": Term("Never held in the listed countries."),
    "includes": Term("Held at least partly in the listed countries."),
}


class AccessLevel(Vocabulary):
    NONE = "none"
    RESTRICTED = "restricted"
    FULL = "full"


AccessLevel.SUMMARY = "How much access the named party has."
AccessLevel.TERMS = {
    "none": Term("No access at all."),
    "restricted": Term("Limited or conditional access."),
    "full": Term("Unrestricted access."),
}

VOCABULARIES: tuple[type[Vocabulary], ...] = (
    ConfirmationStatus,
    ResponseType,
    ClaimKind,
    AttributionRole,
    EntityType,
    TranslationMethod,
    ResidencyConstraint,
    AccessLevel,
)
