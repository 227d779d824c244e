"""One-off builder for the seed article's claims (kept for the record; claims/ is the source now).

It computes each quote's offsets from the archived text so that none is typed by hand, and writes
the YAML files through claimtrack's own serializer. Re-running it overwrites claims/ with the same
content, except for the `created`/`updated` timestamps passed on the command line.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

from claimtrack.models import Claim, SourceDocument
from claimtrack.serialize import write_record

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_41d59578b16f00ef"
TEXT = (ROOT / "seeds" / f"{SEED}.txt").read_text("utf-8")
STAMP = sys.argv[1] if len(sys.argv) > 1 else "2026-11-28T11:30:00Z"
TRANSLATOR = "AI model, unreviewed draft"


def q(qid: str, text: str, en: str) -> dict[str, Any]:
    start = TEXT.index(text)
    return {
        "id": qid, "seed": SEED, "text": text, "start": start, "end": start + len(text),
        "language": "fr",
        "translation": {"text": en, "language": "en", "method": "machine", "translator": TRANSLATOR},
    }


RELAY = {"role": "relay", "name": "Archived French news article by Esther Buitekant (publisher "
         "not named in the copy)", "type": "document", "seed": SEED}
FT = {"role": "asserter", "name": "Financial Times", "type": "news_outlet"}
FT_SOURCES = {"role": "cited_source", "name": "Sources close to the matter (unnamed)",
              "type": "anonymous", "as_described": "des sources proches du dossier"}
OWN_VOICE = {"role": "asserter", "name": "The archived article, in its own voice",
             "type": "document"}
SPOKESPERSON = {"role": "asserter", "name": "UK government spokesperson (unnamed)",
                "type": "person", "as_described": "un porte-parole du gouvernement",
                "context": "briefing with journalists"}
AWS = {"name": "Amazon Web Services", "type": "company"}
AMAZON = {"name": "Amazon", "type": "company"}
MI5 = {"name": "MI5 (Security Service)", "type": "government"}
MI6 = {"name": "MI6 (Secret Intelligence Service)", "type": "government"}
GCHQ = {"name": "GCHQ (Government Communications Headquarters)", "type": "government"}
UKGOV = {"name": "UK government", "type": "government"}
AGENCIES = [MI5, MI6, GCHQ]

NO_COMMENT_Q = q(
    "q-no-comment",
    "Sollicités par l'AFP, ni Amazon, ni les autorités britanniques n'ont souhaité commenter ces "
    "informations.",
    "Asked by AFP, neither Amazon nor the British authorities wished to comment on this "
    "information.",
)
NO_COMMENT = [
    {"party": "Amazon", "type": "company", "response": "declined_to_comment", "asked_by": "AFP",
     "evidence": ["q-no-comment"]},
    {"party": "British authorities", "type": "government", "response": "declined_to_comment",
     "asked_by": "AFP", "evidence": ["q-no-comment"]},
]


def history(status: str, evidence: list[str], reason: str | None = None) -> list[dict[str, Any]]:
    return [{
        "date": "2021-10-27", "status": status, "evidence": evidence,
        "reason": reason or "Reported in the archived article published on 27 October 2021.",
    }]


def claim(cid: str, **fields: Any) -> dict[str, Any]:
    status = fields.pop("status", "reported")
    evidence = fields["evidence"]
    fields.setdefault("history", history(status, [evidence[0]["id"]]))
    return {"schema_version": "1.0", "id": cid, **fields, "status": status,
            "created": STAMP, "updated": STAMP}


CLAIMS = [
    claim(
        "aws-contract-uk-intelligence-agencies",
        statement="Amazon, through its cloud division AWS, has signed a contract with the UK's "
        "three intelligence agencies (MI5, MI6 and GCHQ) to host classified material.",
        original={"text": "Amazon, par l'intermédiaire de sa branche cloud AWS, a signé un contrat "
                  "avec les trois agences d'espionnage britanniques pour héberger des documents "
                  "classifiés.", "language": "fr"},
        kind="event", topics=["cloud-computing", "intelligence-agencies", "government-contracts"],
        subjects=[AWS, AMAZON, *AGENCIES],
        attribution=[
            {**FT, "as_described": "Le Financial Times a révélé dans un article"},
            {"role": "first_reporter", "name": "Financial Times", "type": "news_outlet",
             "as_described": "Le Financial Times a révélé dans un article"},
            RELAY,
        ],
        evidence=[
            q("q1", "Le Financial Times a révélé dans un article qu'Amazon, par l'intermédiaire de "
              "sa branche cloud AWS, a signé un contrat avec les trois agences d'espionnage "
              "britanniques pour héberger des documents classifiés.",
              "The Financial Times revealed in an article that Amazon, through its cloud division "
              "AWS, has signed a contract with the three British spy agencies to host classified "
              "documents."),
            q("q2", "Amazon : un accord avec les agences d'espionnage britanniques pour héberger "
              "des documents top secrets",
              "Amazon: a deal with the British spy agencies to host top-secret documents"),
            NO_COMMENT_Q,
        ],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
        notes="The headline calls the documents 'top secrets'; the body says 'classifiés'.",
    ),
    claim(
        "agency-data-on-highly-secure-cloud-platform",
        statement="The sensitive data of MI5, MI6 and GCHQ will be stored on a highly secure "
        "cloud computing platform.",
        original={"text": "Les données sensibles du MI5 (sécurité intérieure), du MI6 (sécurité "
                  "extérieure) et du Government Communications HeadQuarters seront stockées sur "
                  "une plateforme de cloud computing hautement sécurisée.", "language": "fr"},
        kind="description", topics=["cloud-computing", "intelligence-agencies", "data-security"],
        subjects=[*AGENCIES, AWS],
        attribution=[OWN_VOICE, RELAY],
        evidence=[q("q1", "Les données sensibles du MI5 (sécurité intérieure), du MI6 (sécurité "
                    "extérieure) et du Government Communications HeadQuarters seront stockées sur "
                    "une plateforme de cloud computing hautement sécurisée.",
                    "The sensitive data of MI5 (domestic security), MI6 (foreign security) and "
                    "Government Communications Headquarters will be stored on a highly secure "
                    "cloud computing platform."), NO_COMMENT_Q],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
        notes="The article gives no explicit source for this sentence; it follows the sentence "
        "reporting the Financial Times' revelation.",
    ),
    claim(
        "agency-data-held-only-in-uk",
        statement="All of the agencies' data held under the contract will be kept in the UK.",
        original={"text": "Bien qu'AWS soit une société américaine, toutes les données des "
                  "agences seront conservées en Grande-Bretagne.", "language": "fr"},
        kind="jurisdiction", topics=["data-residency", "intelligence-agencies"],
        subjects=[*AGENCIES, AWS],
        value={"type": "jurisdiction", "object": "all data of MI5, MI6 and GCHQ held under the "
               "contract", "constraint": "only_in", "countries": ["GB"]},
        attribution=[{**FT, "as_described": "le quotidien économique"}, FT_SOURCES, RELAY],
        evidence=[
            q("q1", "toutes les données des agences seront conservées en Grande-Bretagne",
              "all of the agencies' data will be kept in Great Britain"),
            q("q2", "Les données stockées dans le cadre de ce contrat seront hébergées au "
              "Royaume-Uni", "The data stored under this contract will be hosted in the United "
              "Kingdom"),
            NO_COMMENT_Q,
        ],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
        notes="The article quotes the Financial Times, which cites sources close to the matter; "
        "the quotation says 'Grande-Bretagne', the subheading 'Royaume-Uni'.",
    ),
    claim(
        "aws-is-a-us-company",
        statement="AWS is an American company.",
        original={"text": "AWS soit une société américaine", "language": "fr"},
        kind="description", topics=["cloud-computing"],
        subjects=[AWS],
        attribution=[{**FT, "as_described": "le quotidien économique"}, FT_SOURCES, RELAY],
        evidence=[q("q1", "Bien qu'AWS soit une société américaine",
                    "Although AWS is an American company")],
        tags=["aws-uk-intelligence-contract"],
        notes="Stated in passing, inside the Financial Times passage the article quotes.",
    ),
    claim(
        "amazon-no-access-to-agency-data",
        statement="Amazon will have no access to the information held on the cloud platform.",
        original={"text": "Amazon n'aura aucun accès aux informations détenues sur la plate-forme "
                  "de cloud computing", "language": "fr"},
        kind="access", topics=["data-security", "intelligence-agencies"],
        subjects=[AMAZON, AWS, *AGENCIES],
        value={"type": "access", "object": "information held on the agencies' cloud platform",
               "party": "Amazon", "access": "none"},
        attribution=[{**FT, "as_described": "le quotidien économique"}, FT_SOURCES, RELAY],
        evidence=[
            q("q1", "Amazon n'aura aucun accès aux informations détenues sur la plate-forme de "
              "cloud computing", "Amazon will have no access to the information held on the cloud "
              "computing platform"),
            q("q2", "Amazon ne pourra pas y accéder", "Amazon will not be able to access it"),
            NO_COMMENT_Q,
        ],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
    ),
    claim(
        "contract-purpose-faster-database-searches",
        statement="One aim of the deal is to let the agencies search their respective databases "
        "faster.",
        original={"text": "L'objectif de cet accord est notamment de permettre aux agences de "
                  "faire des recherches plus rapides dans leurs bases de données respectives",
                  "language": "fr"},
        kind="purpose", topics=["intelligence-agencies", "cloud-computing"],
        subjects=[*AGENCIES],
        attribution=[OWN_VOICE, RELAY],
        evidence=[q("q1", "L'objectif de cet accord est notamment de permettre aux agences de "
                    "faire des recherches plus rapides dans leurs bases de données respectives",
                    "The aim of this deal is notably to allow the agencies to carry out faster "
                    "searches in their respective databases"), NO_COMMENT_Q],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
        notes="The article gives no explicit source for this sentence.",
    ),
    claim(
        "contract-purpose-sharing-data-from-field-sites",
        statement="Another aim of the deal is to let spies share data more easily from field "
        "sites abroad.",
        original={"text": "mais aussi aux espions de partager plus facilement des données à "
                  "partir de sites de terrain à l'étranger", "language": "fr"},
        kind="purpose", topics=["intelligence-agencies", "cloud-computing"],
        subjects=[*AGENCIES],
        attribution=[OWN_VOICE, RELAY],
        evidence=[q("q1", "mais aussi aux espions de partager plus facilement des données à "
                    "partir de sites de terrain à l'étranger",
                    "but also to allow spies to share data more easily from field sites abroad"),
                  NO_COMMENT_Q],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
        notes="The article gives no explicit source for this sentence.",
    ),
    claim(
        "contract-value-gbp-500m-to-1bn-over-ten-years",
        statement="The contract is estimated to be worth between £500m and £1bn over the next "
        "ten years.",
        original={"text": "un contrat estimé entre 500 millions de livres et un milliard de livres "
                  "sur les dix ans à venir", "language": "fr"},
        kind="quantity", topics=["government-contracts", "cloud-computing"],
        subjects=[AWS, AMAZON, *AGENCIES],
        value={"type": "money", "currency": "GBP", "min": "500000000", "max": "1000000000",
               "period": "P10Y", "estimate": True},
        attribution=[{**FT, "as_described": "le Financial Times évoque"}, RELAY],
        evidence=[
            q("q1", "le Financial Times évoque un contrat estimé entre 500 millions de livres et "
              "un milliard de livres sur les dix ans à venir",
              "the Financial Times mentions a contract estimated at between 500 million pounds "
              "and one billion pounds over the next ten years"),
            q("q2", "Le montant précis de cet accord n'a pas été confirmé par Amazon",
              "The precise amount of this deal has not been confirmed by Amazon"),
            q("q3", "Un contrat estimé entre 500 millions de livres et un milliard de livres",
              "A contract estimated at between 500 million pounds and one billion pounds"),
            NO_COMMENT_Q,
        ],
        responses=[
            {"party": "Amazon", "type": "company", "response": "not_confirmed",
             "evidence": ["q2"]},
            *NO_COMMENT,
        ],
        tags=["aws-uk-intelligence-contract"],
        notes="The pound is read as GBP: the article is about a UK government contract.",
    ),
    claim(
        "uk-choice-of-foreign-private-company-criticised",
        statement="Some people criticised the UK's choice of a foreign private company for the "
        "contract.",
        original={"text": "Des voix se sont élevées pour critiquer le fait que le Royaume-Uni ait "
                  "choisi une société privée étrangère.", "language": "fr"},
        kind="criticism", topics=["government-contracts", "digital-sovereignty"],
        subjects=[UKGOV, AWS],
        attribution=[{"role": "asserter", "name": "Unnamed critics", "type": "anonymous",
                      "as_described": "Des voix"}, RELAY],
        evidence=[q("q1", "Des voix se sont élevées pour critiquer le fait que le Royaume-Uni ait "
                    "choisi une société privée étrangère.",
                    "Voices have been raised to criticise the fact that the United Kingdom chose "
                    "a foreign private company.")],
        tags=["aws-uk-intelligence-contract"],
        notes="The article names none of the critics.",
    ),
    claim(
        "amazon-and-uk-authorities-declined-to-comment",
        statement="Asked by AFP, neither Amazon nor the British authorities wished to comment on "
        "the reports.",
        original={"text": NO_COMMENT_Q["text"], "language": "fr"},
        kind="event", topics=["government-contracts"],
        subjects=[AMAZON, {"name": "British authorities", "type": "government"}],
        attribution=[{**OWN_VOICE, "context": "after AFP asked both parties"}, RELAY],
        evidence=[NO_COMMENT_Q],
        responses=NO_COMMENT,
        tags=["aws-uk-intelligence-contract"],
    ),
    claim(
        "uk-government-used-private-sector-tech-for-decades",
        statement="The UK government has used private-sector technology for national security "
        "applications for decades, according to a government spokesperson.",
        original={"text": "Nous avons utilisé des technologies du secteur privé pour des "
                  "applications à la sécurité nationale depuis des décennies", "language": "fr"},
        kind="position", topics=["national-security", "government-contracts"],
        subjects=[UKGOV],
        attribution=[SPOKESPERSON, RELAY],
        evidence=[q("q1", "'Nous avons utilisé des technologies du secteur privé pour des "
                    "applications à la sécurité nationale depuis des décennies\", a toutefois "
                    "déclaré un porte-parole du gouvernement lors d'un briefing avec des "
                    "journalistes.",
                    "'We have used private-sector technologies for national security "
                    "applications for decades,' a government spokesperson nevertheless said at a "
                    "briefing with journalists.")],
        tags=["aws-uk-intelligence-contract"],
        notes="The quotation is the article's French rendering; it opens with ' and closes "
        "with \", as in the archived text.",
    ),
    claim(
        "uk-government-technology-security-top-priority",
        statement="Ensuring the security of this technology is an absolute priority, according "
        "to a UK government spokesperson.",
        original={"text": "de toute évidence assurer la sécurité de cette technologie est une "
                  "priorité absolue", "language": "fr"},
        kind="position", topics=["national-security", "data-security"],
        subjects=[UKGOV],
        status="not_checkable",
        history=history("not_checkable", ["q1"], "Reported in the archived article published on "
                        "27 October 2021; a statement of priority, not a checkable fact."),
        attribution=[SPOKESPERSON, RELAY],
        evidence=[q("q1", "\"Et de toute évidence assurer la sécurité de cette technologie est "
                    "une priorité absolue", "\"And obviously ensuring the security of this "
                    "technology is an absolute priority")],
        tags=["aws-uk-intelligence-contract"],
    ),
    claim(
        "uk-government-same-protections-regardless-of-supplier",
        statement="The same protections apply to confidential information whatever the "
        "technology supplier, according to a UK government spokesperson.",
        original={"text": "les mêmes protections sont appliquées aux informations confidentielles "
                  "quel que soit le fournisseur de la technologie utilisée", "language": "fr"},
        kind="position", topics=["national-security", "data-security"],
        subjects=[UKGOV],
        attribution=[SPOKESPERSON, RELAY],
        evidence=[q("q1", "les mêmes protections sont appliquées aux informations "
                    "confidentielles quel que soit le fournisseur de la technologie utilisée\", "
                    "a-t-il ajouté.",
                    "the same protections are applied to confidential information whatever the "
                    "supplier of the technology used,\" he added.")],
        tags=["aws-uk-intelligence-contract"],
    ),
]


def main() -> None:
    raw = (ROOT / "seeds" / f"{SEED}.txt").read_bytes()
    seed = SourceDocument.model_validate({
        "schema_version": "1.0", "id": SEED,
        "title": "Amazon : un accord avec les agences d'espionnage britanniques pour héberger "
        "des documents top secrets",
        "language": "fr", "author": "Esther Buitekant", "publisher": None,
        "published": "2021-10-27", "url": None, "retrieved": None, "archived": "2026-11-28",
        "rights": "Not stated in the archived copy; the author and the original publisher keep "
        "their rights. Archived verbatim as the evidence for the quotations in claims/.",
        "text_file": f"{SEED}.txt", "media_type": "text/plain; charset=utf-8",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "notes": "French news article. The copy does not name its publisher or URL. The title "
        "line appears twice at the top and the copy ends with a 'Les dernières actualités' "
        "navigation fragment; kept byte for byte.",
    })
    write_record(ROOT / "seeds" / f"{SEED}.yaml", seed)
    for data in CLAIMS:
        record = Claim.model_validate(data)
        write_record(ROOT / "claims" / f"{record.id}.yaml", record)


if __name__ == "__main__":
    main()
