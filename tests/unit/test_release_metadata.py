"""Metadata of a release with many sources stays small: rights grouped, texts as one file set,
provenance naming the first sources and counting the rest."""

from __future__ import annotations

import json

import yaml

from claimtrack.model.records import SourceDocument
from claimtrack.release.croissant import LISTED, croissant
from claimtrack.release.facts import ReleaseFacts, TableFiles
from claimtrack.release.rights import Policy
from claimtrack.tables.frames import TABLES

from ..conftest import REPO


def _facts(count: int, *, distinct: bool) -> ReleaseFacts:
    meta = yaml.safe_load(next((REPO / "seeds").glob("*.yaml")).read_text("utf-8"))
    seeds = [
        SourceDocument.model_validate(
            {
                **meta,
                "id": f"s{i:05d}",
                "text_file": f"s{i:05d}.txt",
                "redistribution": "full_text" if i % 2 else "quotes_only",
                "rights": f"© Outlet {i}" if distinct else "© One outlet",
            }
        )
        for i in range(count)
    ]
    files = {f"{n}.{x}": (1, "0" * 64) for n in TABLES for x in ("csv", "parquet")}
    files |= {f"seeds/{s.text_file}": (1, "1" * 64) for s in seeds}
    files["claims.jsonl"] = (1, "2" * 64)
    tables = {n: TableFiles(n, 0, (f"{n}.parquet",), 1, "0" * 64) for n in TABLES}
    return ReleaseFacts(
        "1.0.0", "2026-11-29", "unknown", None, seeds, Policy.of(seeds), tables, files
    )


def test_many_sources_with_their_own_rights_are_named_up_to_a_limit() -> None:
    body = json.loads(croissant(_facts(LISTED * 3, distinct=True)))
    conditions = body["usageInfo"]
    assert len(conditions) == LISTED + 1
    assert conditions[-1]["name"] == f"Rights of the other {LISTED * 2:,} archived sources"
    [texts] = [d for d in body["distribution"] if d.get("@id") == "seed-texts"]
    assert texts["includes"] == "seeds/*" and texts["excludes"] == "seeds/*.meta.json"
    assert not any(d["@id"].startswith("seeds/") for d in body["distribution"])
    derived = body["prov:wasDerivedFrom"]
    assert len(derived) == LISTED + 1 and "200 more archived sources" in derived[-1]["name"]


def test_sources_sharing_their_rights_share_one_entry() -> None:
    body = json.loads(croissant(_facts(30, distinct=False)))
    names = sorted(c["name"] for c in body["usageInfo"])
    assert len(names) == 2  # one per policy: the rights text is the same
    assert names[0].startswith("Rights of 15 archived sources: `s00000`, `s00002`")
    assert names[0].endswith("and 5 more")
    shipped = [d for d in body["distribution"] if d["@id"].startswith("seeds/")]
    assert len(shipped) == 15 and all("usageInfo" in d for d in shipped)


def test_citation_texts_stay_valid_whatever_they_hold() -> None:
    from claimtrack.model.identity import DatasetIdentity  # noqa: PLC0415
    from claimtrack.release.citation import bibtex, citation_cff  # noqa: PLC0415

    base = _facts(2, distinct=False)
    about = DatasetIdentity.model_validate(
        {
            "schema_version": "1.0",
            "name": "x",
            "title": "Claims {about} a % case",
            "publisher": {"name": "Desk {B}"},
            "license": "CC-BY-4.0 AND ODbL-1.0",
        }
    )
    facts = ReleaseFacts(
        "1.0.0", "2026-11-29", "unknown", about, base.seeds, base.policy, base.tables, base.files
    )
    entry = bibtex(facts)
    depth = 0
    for c in entry:  # BibTeX counts every brace, escaped or not
        if c in "{}":
            depth += 1 if c == "{" else -1
        assert depth >= 0
    assert depth == 0 and r"\textbraceleft{}" in entry
    cff = (citation_cff(facts) or b"").decode()
    assert "license:" not in cff  # `A AND B` is no choice between them: CFF cannot say it
    assert facts.licence_ids() == ["CC-BY-4.0", "ODbL-1.0"]
