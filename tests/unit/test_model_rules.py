"""Model rules across the fields of one claim, on models built in memory."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from claimtrack.model.records import Claim
from claimtrack.model.rules import RuleViolation, claim_violations, parse_claim

from ..conftest import REPO

BASE: dict[str, Any] = yaml.safe_load(
    (REPO / "claims" / "contract-value-gbp-500m-to-1bn-over-ten-years.yaml").read_text("utf-8")
)


def _codes(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(v.code, v.pointer) for v in claim_violations(Claim.model_validate(data))]


def test_the_seed_claim_breaks_no_rule() -> None:
    assert _codes(BASE) == []
    assert parse_claim(BASE).id == BASE["id"]


def test_min_above_max() -> None:
    data = copy.deepcopy(BASE)
    data["value"]["min"], data["value"]["max"] = "2", "1"
    assert _codes(data) == [("range-order", "/value/min")]


def test_amount_and_range_together() -> None:
    data = copy.deepcopy(BASE)
    data["value"]["amount"] = "5"
    assert ("money-shape", "/value/amount") in _codes(data)


def test_history_out_of_order_and_status_mismatch() -> None:
    data = copy.deepcopy(BASE)
    first = dict(data["history"][0])
    data["history"] = [{**first, "date": "2022-01-01"}, {**first, "date": "2021-01-01"}]
    data["status"] = "confirmed"
    assert _codes(data) == [("history-order", "/history/1/date"), ("status-mismatch", "/status")]


def test_unknown_quote_reference() -> None:
    data = copy.deepcopy(BASE)
    data["history"][0]["evidence"] = ["q9"]
    assert ("unknown-quote", "/history/0/evidence/0") in _codes(data)


def test_relay_without_seed_and_missing_relay() -> None:
    data = copy.deepcopy(BASE)
    data["attribution"] = [a for a in data["attribution"] if a["role"] != "relay"]
    assert _codes(data) == [("missing-relay", "/attribution")]


def test_parse_claim_raises_with_every_violation() -> None:
    data = copy.deepcopy(BASE)
    data["value"]["min"], data["value"]["max"] = "2", "1"
    data["status"] = "confirmed"
    with pytest.raises(RuleViolation) as info:
        parse_claim(data)
    assert [v.code for v in info.value.violations] == ["range-order", "status-mismatch"]


def test_a_model_without_rules_still_builds(tmp_path: Path) -> None:
    # the record type is plain data: rules are applied by parse_claim and by validation
    data = copy.deepcopy(BASE)
    data["status"] = "confirmed"
    assert Claim.model_validate(data).status == "confirmed"


def test_fields_a_later_format_added_are_refused_in_an_earlier_one() -> None:
    data = copy.deepcopy(BASE)
    data["schema_version"] = "1.0"
    data["claim_date"] = "2021-10-27"
    data["history"][0]["url"] = "https://example.org/review"
    data["corrections"] = []  # empty: not set
    fields = {"/claim_date", "/history/0/url", "/corrections"}
    found = {p for code, p in _codes(data) if code == "schema-version" and p in fields}
    assert found == {"/claim_date", "/history/0/url"}
    data["schema_version"] = "1.2"
    assert not {p for code, p in _codes(data) if code == "schema-version" and p in fields}
