"""The data card of a release: `README.md` with Hugging Face front matter."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

import jinja2

from claimtrack.escape import visible
from claimtrack.model.identity import DatasetIdentity
from claimtrack.model.records import SourceDocument
from claimtrack.model.vocab import VOCABULARIES
from claimtrack.release.citation import bibtex
from claimtrack.release.facts import ReleaseFacts
from claimtrack.tables.frames import TABLES

POLICY_WORDS = {
    "full_text": "the archived text is in `seeds/`",
    "quotes_only": "the text is not in this release (its rights allow quotes only, or are not "
    "known and so treated as reserved); the quotes and their offsets are, within the source's "
    "quote budget, with its SHA-256 and size in `manifest.json`",
    "none": "nothing of the text is in this release, not even the quotes' words; offsets and "
    "the quotes' hashes (`evidence.text_sha256`) are",
}


CARD_SOURCES = 100  # sources listed one by one; a larger release lists these and counts the rest


def counted(n: int, noun: str) -> str:
    """`1 claim`, `2 claims`, `1,024 claims`: a count with its noun, singular for one."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _sources(seeds: Sequence[SourceDocument]) -> list[str]:
    lines = []
    if len(seeds) > CARD_SOURCES:
        counts = Counter(s.redistribution.value for s in seeds)
        lines += [
            f"{len(seeds)} sources; redistribution: "
            + ", ".join(f"`{k}` {counts[k]}" for k in sorted(counts))
            + f". The first {CARD_SOURCES} by id are listed here; every source, with its rights, "
            "is in `sources.csv` (and `manifest.json`).",
            "",
        ]
    for s in seeds[:CARD_SOURCES]:
        about = (
            f"{s.title} ({s.language}; author: {s.author or 'unknown'}; publisher: "
            f"{s.publisher or 'unknown'}; published: {s.published or 'unknown'})"
        )
        lines.append(
            f"- `{s.id}`: {visible(about)}. Rights: {visible(s.rights)} Redistribution: "
            f"`{s.redistribution.value}`: {POLICY_WORDS[s.redistribution.value]}."
        )
    return lines


def _about(about: DatasetIdentity | None) -> list[str]:
    """Who publishes the dataset, as `dataset.yaml` says (nothing when it says nothing)."""
    if about is None:
        return []
    lines = [visible(about.description), ""] if about.description else []
    facts = []
    if about.publisher is not None:
        who = visible(about.publisher.name)
        facts.append(
            f"- Publisher: {who}" + (f" ({about.publisher.url})" if about.publisher.url else "")
        )
    if about.license:
        facts.append(f"- Licence of the claim records: `{about.license}`")
    if about.contact:
        facts.append(f"- Contact for corrections: {visible(about.contact)}")
    if about.base_url:
        facts.append(f"- Site: {about.base_url}")
    return [*lines, *facts, ""] if facts else lines


def _front_matter(facts: ReleaseFacts, *, partitioned: bool) -> list[str]:
    """The Hugging Face card metadata: title, licence, languages and one Parquet config per
    table (`claims` the default), so the folder can be pushed to a dataset repository as-is."""
    parquet = "{}/*.parquet" if partitioned else "{}.parquet"
    ids = facts.licence_ids()
    if len(ids) == 1:
        licence = ["license: " + ids[0].lower()]
    else:  # none chosen, or an expression of several: the hub's `other`, with its name
        licence = ["license: other"]
        if facts.licence:
            licence.append("license_name: " + json.dumps(facts.licence))
            licence.append("license_link: README.md")  # this card, which states it
    configs = []
    for name in TABLES:
        configs += [f"- config_name: {name}", "  data_files: " + parquet.format(name)]
        if name == "claims":
            configs.append("  default: true")
    languages = {s.language.split("-")[0] for s in facts.seeds} | {"en"}
    return [
        "---",
        "pretty_name: " + json.dumps(visible(facts.title), ensure_ascii=False),
        *licence,
        "language:",
        *[f"- {code}" for code in sorted(languages)],
        "tags:",
        "- fact-checking",
        "- claims",
        "configs:",
        *configs,
        "---",
    ]


def _files(facts: ReleaseFacts, *, partitioned: bool) -> list[str]:
    parquet = "{}/*.parquet" if partitioned else "{}.parquet"
    rows = {name: files.rows for name, files in facts.tables.items()}
    cff = "CITATION.cff" in facts.files
    return [
        "| file | rows | what |",
        "|---|---|---|",
        *[
            f"| `{parquet.format(n)}`, `{n}.csv` | {rows[n]} | {t.description} |"
            for n, t in TABLES.items()
        ],
        f"| `claims.jsonl` | {rows['claims']} | Full claim records, one JSON per line. |",
        "| `datapackage.json` | | Frictionless Data Package v2: every table, the sources and "
        "their rights. |",
        "| `croissant.json` | | Croissant 1.1 metadata: a record set per table, for dataset "
        "hubs and ML loaders. |",
        "| `dcat.jsonld` | | DCAT 3 catalogue records, for data portals. |",
        *(["| `CITATION.cff` | | How to cite this release (Zenodo and GitHub read it). |"] * cff),
        "| `seeds/` | | Metadata of every archived source; the texts their rights allow, byte "
        "for byte. |",
        "| `manifest.json` | | SHA-256 and size of every file; verify with `claimtrack verify`. |",
        "| `manifest.json.sig` | | When present: the publisher's signature of the manifest "
        "(`claimtrack verify` checks it). |",
    ]


def _rights_note(facts: ReleaseFacts) -> list[str]:
    version, licence = facts.version, facts.licence
    return [
        "A text left out of this release can be checked by whoever holds it: "
        f"`claimtrack verify {version} --seeds DIR` compares each text in DIR with its recorded "
        "SHA-256, and every quote with its offsets."
        + (
            " Where a source allows nothing to be published, the quotes' words, their "
            "translations, the claim's original wording and a statement that only repeats them "
            "are empty (null) in the tables and in `claims.jsonl`."
            if facts.policy.silent
            else ""
        ),
        "",
        (
            f"The claim records are published under {licence}; "
            if licence
            else "The licence of the claim records has not been chosen yet (`license: other`); "
        )
        + "the quotes and the archived source texts keep their owners' rights. Translations "
        "marked `machine` were not reviewed by a person.",
    ]


def _template() -> jinja2.Template:
    """The card's Markdown template (`release/templates/card.md`): no HTML escaping, since
    every value put in it is made visible (control characters shown) before it is."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.release", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = lambda value: f"`{value}`"
    return env.get_template("card.md")


def data_card(
    facts: ReleaseFacts, status: list[tuple[str, int]], *, partitioned: bool = False
) -> bytes:
    """The card of the release ``facts`` describe: claims by ``status`` (sorted); the sources
    and their rights; ``partitioned`` when each table is a folder of Parquet parts. Values the
    dataset's identity (`dataset.yaml`) does not give stay unknown."""
    about = _about(facts.about)
    text = _template().render(
        front_matter="\n".join(_front_matter(facts, partitioned=partitioned)),
        title=visible(facts.title),
        version=facts.version,
        about="\n".join(about) + "\n" if about else "",
        date=facts.date,
        claims=counted(facts.tables["claims"].rows, "claim"),
        sources=counted(len(facts.seeds), "archived source"),
        files="\n".join(_files(facts, partitioned=partitioned)),
        status=status,
        vocabularies=VOCABULARIES,
        sources_list="\n".join(_sources(facts.seeds)),
        rights_note="\n".join(_rights_note(facts)),
        bibtex=bibtex(facts),
    )
    return text.encode("utf-8")
