"""The data card of a release with many sources lists some and counts every one by policy."""

from __future__ import annotations

import yaml

from claimtrack.model.records import SourceDocument
from claimtrack.release.card import CARD_SOURCES, data_card
from claimtrack.release.facts import ReleaseFacts, TableFiles
from claimtrack.release.rights import Policy
from claimtrack.tables.frames import TABLES

from ..conftest import REPO


def _seeds(count: int) -> list[SourceDocument]:
    meta = yaml.safe_load(next((REPO / "seeds").glob("*.yaml")).read_text("utf-8"))
    policies = ("full_text", "quotes_only", "none")
    return [
        SourceDocument.model_validate(
            {**meta, "id": f"s{i:05d}", "redistribution": policies[i % 3]}
        )
        for i in range(count)
    ]


def _card(seeds: list[SourceDocument]) -> str:
    tables = {n: TableFiles(n, 0, (f"{n}.parquet",), 0, "0" * 64) for n in TABLES}
    policy = Policy.of(seeds)
    facts = ReleaseFacts("1.0.0", "2026-11-29", "unknown", None, seeds, policy, tables, {})
    return data_card(facts, []).decode()


def test_a_large_release_counts_its_sources_by_policy() -> None:
    card = _card(_seeds(CARD_SOURCES + 50))
    assert f"{CARD_SOURCES + 50} sources; redistribution: `full_text` 50, `none` 50, " in card
    assert "`s00099`" in card and "`s00100`" not in card
    assert "`sources.csv`" in card


def test_a_small_release_lists_every_source() -> None:
    card = _card(_seeds(5))
    assert "sources; redistribution" not in card
    assert all(f"`s{i:05d}`" in card for i in range(5))
