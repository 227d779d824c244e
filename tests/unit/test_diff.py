"""The semantic diff: what changed, and which version bump it needs."""

from __future__ import annotations

from typing import Any

from claimtrack.release.diff import SeedMeta, Snapshot, compare, seed_json
from claimtrack.release.diff_render import as_text, word_change

CLAIM: dict[str, Any] = {
    "schema_version": "1.0",
    "id": "a",
    "statement": "The contract is worth a billion pounds over ten years.",
    "status": "reported",
    "value": {"type": "money", "currency": "GBP", "max": "1000000000"},
    "notes": None,
}
COLUMNS = {"claims.status": "Enum(categories=['reported', 'confirmed'])"}


def _snap(name: str, claims: dict[str, Any], columns: dict[str, str] = COLUMNS) -> Snapshot:
    return Snapshot(name, claims, columns)


def _with(**changes: Any) -> dict[str, Any]:
    return {**CLAIM, **changes}


def test_nothing_changed_needs_no_bump() -> None:
    assert compare(_snap("1", {"a": CLAIM}), _snap("2", {"a": CLAIM})).bump == "none"


def test_wording_is_a_patch_and_data_a_minor() -> None:
    wording = compare(_snap("1", {"a": CLAIM}), _snap("2", {"a": _with(statement="Worth £1bn.")}))
    assert wording.bump == "patch"
    value = _with(value={**CLAIM["value"], "max": "2000000000"})
    assert compare(_snap("1", {"a": CLAIM}), _snap("2", {"a": value})).bump == "minor"


def test_a_status_change_is_minor_and_named() -> None:
    change = compare(_snap("1", {"a": CLAIM}), _snap("2", {"a": _with(status="confirmed")}))
    assert change.bump == "minor"
    assert change.changed[0].status == ("reported", "confirmed")


def test_removing_a_claim_or_column_is_major_adding_is_minor() -> None:
    assert compare(_snap("1", {"a": CLAIM}), _snap("2", {})).bump == "major"
    assert compare(_snap("1", {}), _snap("2", {"a": CLAIM})).bump == "minor"
    assert compare(_snap("1", {}), _snap("2", {}, {})).bump == "major"


def test_new_vocabulary_terms_are_minor_a_retyped_column_major() -> None:
    wider = {"claims.status": "Enum(categories=['reported', 'confirmed', 'misleading'])"}
    assert compare(_snap("1", {}), _snap("2", {}, wider)).columns_extended == ["claims.status"]
    assert compare(_snap("1", {}), _snap("2", {}, wider)).bump == "minor"
    retyped = {"claims.status": "String"}
    assert compare(_snap("1", {}), _snap("2", {}, retyped)).bump == "major"


def test_missing_null_and_empty_are_the_same() -> None:
    assert compare(_snap("1", {"a": CLAIM}), _snap("2", {"a": _with(notes=[])})).bump == "none"


def test_text_output_shows_the_words_that_changed() -> None:
    old = "The spokesperson said the UK government has used private sector technology for decades."
    new = "The spokesperson said the government has used private sector technology for decades."
    shown = word_change(old, new)
    assert "[-UK-]" in shown
    assert "{+" not in shown
    text = as_text(
        compare(_snap("1", {"a": _with(statement=old)}), _snap("2", {"a": _with(statement=new)}))
    )
    assert "[-UK-]" in text


def test_word_change_in_a_long_text_far_from_the_start() -> None:
    old = " ".join(f"w{i}" for i in range(200))
    new = old.replace("w150", "CHANGED")
    shown = word_change(old, new)
    assert "[-w150-] {+CHANGED+}" in shown and len(shown) < 120


def test_seed_metadata_compares_the_same_as_json_text_or_parsed() -> None:
    """A release's seeds are compared as compact JSON: the same changes are found as with
    parsed metadata, and a field that is null on one side and missing on the other is none."""
    old: dict[str, Any] = {"id": "s", "title": "Old title", "archived_url": None, "sha256": "ab"}
    new: dict[str, Any] = {"id": "s", "title": "New title", "sha256": "ab", "language": "fr"}
    same: dict[str, Any] = {"sha256": "ab", "id": "s", "title": "Old title"}  # another order
    pairs: list[tuple[SeedMeta, SeedMeta]] = [
        (old, new),
        (seed_json(old), new),
        (seed_json(old), seed_json(new)),
    ]
    for before, after in pairs:
        change = compare(Snapshot("1", {}, {}, {"s": before}), Snapshot("2", {}, {}, {"s": after}))
        assert change.seeds_changed == [("s", ["language", "title"])]
    unchanged_sides: list[SeedMeta] = [same, seed_json(same)]
    for after_same in unchanged_sides:
        unchanged = compare(
            Snapshot("1", {}, {}, {"s": seed_json(old)}), Snapshot("2", {}, {}, {"s": after_same})
        )
        assert unchanged.seeds_changed == []
