"""claimtrack.load(): typed, tidy tables that join on ids; invalid data never half-loads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import claimtrack
from claimtrack.tables.frames import TABLES

from ..conftest import REPO

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"


def test_load_gives_one_typed_row_per_claim() -> None:
    claims = claimtrack.load(REPO)
    assert claims.height == len(list((REPO / "claims").glob("*.yaml")))
    assert claims["claim_id"].is_unique().all()
    assert isinstance(claims.schema["status"], pl.Enum)
    assert isinstance(claims.schema["kind"], pl.Enum)
    assert claims.schema["status_since"] == pl.Date()
    assert claims.schema["created"] == pl.Datetime("us", "UTC")
    row = claims.filter(pl.col("claim_id") == VALUE).row(0, named=True)
    assert row["value_min"] == Decimal("500000000")
    assert row["value_max"] == Decimal("1000000000")
    assert (row["value_currency"], row["value_period"], row["status"]) == (
        "GBP",
        "P10Y",
        "reported",
    )
    assert row["first_recorded"] == dt.date(2021, 10, 27)


def test_tables_follow_their_declared_schema_and_join() -> None:
    tables = claimtrack.load_tables(REPO)
    assert set(tables) == set(TABLES)
    for name, frame in tables.items():
        assert frame.schema == TABLES[name].schema, name
    quotes = tables["evidence"].join(tables["claims"], on="claim_id", how="anti")
    assert quotes.is_empty(), "every quote belongs to a claim"
    seeds = tables["evidence"].join(tables["sources"], on="seed_id", how="anti")
    assert seeds.is_empty(), "every quote's seed is a source"
    chain = tables["attributions"].filter(pl.col("claim_id") == "agency-data-held-only-in-uk")
    assert chain["role"].to_list() == ["asserter", "cited_source", "asserter", "relay"]
    assert chain["type"].cast(str).to_list()[2] == "document"  # the article in its own voice
    assert chain["as_described"][1] == "des sources proches du dossier"


def test_lazy_frames() -> None:
    lazy = claimtrack.load(REPO, lazy=True)
    assert isinstance(lazy, pl.LazyFrame)
    assert lazy.collect().equals(claimtrack.load(REPO))
    tables = claimtrack.load_tables(REPO, lazy=True)
    assert all(isinstance(t, pl.LazyFrame) for t in tables.values())


def test_invalid_data_raises_one_exception_with_all_findings(dataset: Path) -> None:
    claim = dataset / "claims" / f"{VALUE}.yaml"
    claim.write_text(claim.read_text("utf-8").replace("currency: GBP", "currency: XYZ"))
    with pytest.raises(claimtrack.InvalidDataset) as info:
        claimtrack.load(dataset)
    assert [f.rule for f in info.value.findings] == ["model.unknown-currency"]


def test_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(claimtrack.ClaimtrackError, match="no claims/ folder"):
        claimtrack.load(tmp_path)


def test_an_unknown_option_of_load_is_an_error_not_ignored() -> None:
    with pytest.raises(TypeError, match=r"'tables'.*cache, jobs, version"):
        claimtrack.load_tables(version="1.2.0", tables=["claims"])  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="'verison'"):
        claimtrack.load(verison="1.2.0")  # type: ignore[call-overload]
