"""What a claim page says above and around the record: who said it, where and when; the verdict
and since when; the quotes apart from those that only back a party's response; how to cite it;
and its description for search engines and link previews. Only what the record says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claimtrack.release.citation import bibtex_text, bibtex_url
from claimtrack.release.claimreview import Publishing
from claimtrack.site.words import date_words, quote_labels, value_words


@dataclass(frozen=True)
class Byline:
    """Who made the claim, where it was reported (archived sources), and when it was made."""

    who: list[str]
    where: list[tuple[str, str, str | None, str]]  # seed id, title, published, its language
    when: str | None  # the claim's date, as the record gives it


@dataclass(frozen=True)
class Citation:
    permalink: str | None
    apa: str
    bibtex: str


def byline(claim: dict[str, Any], seeds: dict[str, dict[str, Any]]) -> Byline:
    links = claim.get("attribution") or []
    who = [a["name"] for a in links if a.get("role") == "asserter"]
    where = []
    for link in links:
        seed = seeds.get(str(link.get("seed"))) if link.get("role") == "relay" else None
        if seed is not None:
            where.append(
                (
                    str(link["seed"]),
                    str(seed.get("title")),
                    seed.get("published"),
                    str(seed.get("language") or ""),
                )
            )
    return Byline(who, where, claim.get("claim_date"))


@dataclass(frozen=True)
class Appearance:
    """A source the claim appears in: the archived seed, its date, how it words the claim's
    attribution, and the claim's quotes from it."""

    seed_id: str
    title: str
    publisher: str | None
    published: str | None
    language: str
    as_described: str | None
    quotes: list[str]


def appearances(claim: dict[str, Any], seeds: dict[str, dict[str, Any]]) -> list[Appearance]:
    """Every source the claim's quotes come from, first appearance first (by the sources'
    publication dates; a source with no date last, as it is not known when it appeared)."""
    quotes: dict[str, list[str]] = {}
    for quote in claim.get("evidence") or []:
        quotes.setdefault(str(quote["seed"]), []).append(str(quote["id"]))
    wording = {
        str(a["seed"]): a.get("as_described")
        for a in claim.get("attribution") or []
        if a.get("role") == "relay" and a.get("seed")
    }
    found = []
    for seed_id, ids in quotes.items():
        seed = seeds.get(seed_id) or {}
        found.append(
            Appearance(
                seed_id,
                str(seed.get("title") or seed_id),
                seed.get("publisher"),
                seed.get("published"),
                str(seed.get("language") or ""),
                wording.get(seed_id),
                ids,
            )
        )
    return sorted(found, key=lambda a: (a.published is None, str(a.published or ""), a.seed_id))


def quote_groups(claim: dict[str, Any], passages: list[Any]) -> tuple[list[Any], list[Any]]:
    """The claim's evidence, and the quotes that only back a party's response."""
    cited = {q for h in claim.get("history") or [] for q in h.get("evidence") or []}
    responding = {q for r in claim.get("responses") or [] for q in r.get("evidence") or []}
    only_responses = responding - cited
    evidence = [p for p in passages if p.quote["id"] not in only_responses]
    return evidence, [p for p in passages if p.quote["id"] in only_responses]


def permalink(claim_id: str, publishing: Publishing) -> str | None:
    return publishing.page(claim_id)


def citation(claim: dict[str, Any], common: dict[str, Any], publishing: Publishing) -> Citation:
    """How to cite the claim's record as it stands since its last change (`updated`): APA and
    BibTeX (no author is made up: the publisher when `dataset.yaml` names one). A record is
    cited by its own date, not by a release's, so the page stays the same in every release
    that leaves the record unchanged."""
    link = permalink(claim["id"], publishing)
    title = str(common["site_title"])
    changed = str(claim.get("updated") or "")[:10]
    year = changed[:4] or "n.d."
    statement = claim.get("statement") or f"Claim {claim['id']}"
    publisher = publishing.publisher
    head = f"{publisher}. ({year}). " if publisher else ""
    record = f"Claim record {claim['id']}" + (f", last changed {changed}" if changed else "")
    apa = f"{head}{statement.rstrip('.')} [{record}]. In {title} [Data set]."
    if link:
        apa += f" {link}"
    fields = [("title", bibtex_text(statement)), ("year", year)]
    if publisher:
        fields.insert(1, ("author", "{" + bibtex_text(publisher) + "}"))
    fields.append(("note", bibtex_text(f"{record}, in {title}")))
    if link and bibtex_url(link):
        fields.append(("url", link))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    key = f"{claim['id']}-{changed}".replace(".", "-").rstrip("-")
    return Citation(link, apa, f"@misc{{{key},\n{body}\n}}")


def description(claim: dict[str, Any], status_word: str) -> str:
    """A line for search results and link previews: the statement, its value and its status."""
    statement = claim.get("statement") or f"Claim {claim['id']} (its words are withheld)"
    value = value_words(claim.get("value"))
    since = (claim.get("history") or [{}])[-1].get("date")
    text = statement + (f" ({value})" if value else "") + f" Status: {status_word}"
    return text + (f" since {date_words(since)}." if since else ".")


def labels(claim: dict[str, Any]) -> dict[str, str]:
    return quote_labels(claim)
