"""Regressions found in review: each test is a defect that once let a user down."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from claimtrack.interop.importing import import_file
from claimtrack.model.records import Claim
from claimtrack.store.layout import Dataset
from claimtrack.validate.cache import ResultCache
from claimtrack.validate.runner import validate

from ..conftest import TESTS, RunCli, committed, git, publishable

VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"
SEED = "000_41d59578b16f00ef"
DATA = TESTS / "data"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_naive_timestamp_is_a_validation_error_not_a_crash(dataset: Path) -> None:
    data = yaml.safe_load((dataset / "claims" / f"{VALUE}.yaml").read_text())
    data["created"] = dt.datetime(2026, 1, 1, 12, 0)  # no time zone
    with pytest.raises(ValidationError, match="no time zone"):
        Claim.model_validate(data)


def test_cache_does_not_hide_a_deleted_seed(dataset: Path, tmp_path: Path) -> None:
    def errors() -> int:
        store = ResultCache(tmp_path / "c")
        try:
            return len(validate(Dataset.open(dataset), cache=store, records=False).errors)
        finally:
            store.close()

    assert errors() == 0
    text = dataset / "seeds" / f"{SEED}.txt"
    text.rename(tmp_path / "kept.txt")
    assert errors() == 1  # seed.text-missing
    (dataset / "seeds" / f"{SEED}.yaml").unlink()
    uncached = len(validate(Dataset.open(dataset)).errors)
    assert uncached > 13
    assert errors() == uncached


def test_reimport_keeps_editors_work_and_never_overwrites_invalid_files(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    source = DATA / "liar_messy.tsv"
    import_file("liar", source, Dataset.open(root))
    claim = root / "claims" / "liar-1.yaml"
    edit(claim, "kind: unclassified", "kind: quantity")
    edit(claim, "topics:", "notes: Checked by our desk.\ntopics:")
    report = import_file("liar", source, Dataset.open(root))
    assert report.unchanged == 3
    text = claim.read_text()
    assert "kind: quantity" in text and "Checked by our desk." in text
    edit(claim, "status: refuted\nhistory", "status: confirmed\nhistory")  # now invalid
    before = claim.read_bytes()
    report = import_file("liar", source, Dataset.open(root))
    assert any("not a valid claim" in why for _, why in report.skipped)
    assert claim.read_bytes() == before


def test_claimreview_identifier_collision_overwrites_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    for name, text, checker in (
        ("a.jsonld", "A says X.", "CheckerA"),
        ("b.jsonld", "B says Y.", "CheckerB"),
    ):
        (tmp_path / name).write_text(
            json.dumps(
                {
                    "@type": "ClaimReview",
                    "identifier": "r1",
                    "claimReviewed": text,
                    "url": f"https://{checker.lower()}.example.org/r1",
                    "author": {"name": checker},
                    "reviewRating": {"alternateName": "False"},
                }
            )
        )
    import_file("claimreview", tmp_path / "a.jsonld", Dataset.open(root))
    report = import_file("claimreview", tmp_path / "b.jsonld", Dataset.open(root))
    assert any("id collision" in why for _, why in report.skipped)
    assert "A says X." in (root / "claims" / "r1.yaml").read_text()


@pytest.mark.parametrize("date", ["20211027", "2021-W43-3", "2021-02-30"])
def test_release_refuses_odd_dates(dataset: Path, run_cli: RunCli, date: str) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--date", date, code=2)
    assert not (dataset / "dataset").exists()


def test_an_unreadable_changelog_stops_the_release_before_publishing(
    dataset: Path, run_cli: RunCli
) -> None:
    (dataset / "CHANGELOG.md").write_bytes(b"\xff\xfe not utf-8")
    result = run_cli("release", "--root", dataset, "--version", "1.0.0", code=2)
    assert "CHANGELOG.md cannot be read" in result.stderr
    assert "--no-changelog" in result.stderr
    assert not (dataset / "dataset" / "1.0.0").exists()  # nothing half done
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    run_cli("verify", "1.0.0", "--root", dataset)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_checks_claims_when_a_seed_goes(dataset: Path, run_cli: RunCli) -> None:
    committed(dataset)
    git(dataset, "rm", "-q", f"seeds/{SEED}.yaml", f"seeds/{SEED}.txt")
    result = run_cli("validate", "--root", dataset, "--changed-since", "HEAD", "--no-cache", code=1)
    assert "[seed.missing]" in result.stdout


def test_each_missing_field_is_reported_once(dataset: Path) -> None:
    (dataset / "claims" / "bare.yaml").write_text("a: 1\n")
    report = validate(Dataset.open(dataset), [dataset / "claims" / "bare.yaml"])
    required = [f.message for f in report.findings if f.rule == "schema.required"]
    assert len(required) == len(set(required)) == 10


def test_show_without_the_seed_text(dataset: Path, run_cli: RunCli) -> None:
    (dataset / "seeds" / f"{SEED}.txt").unlink()
    out = run_cli("show", VALUE, "--root", dataset).stdout
    assert "GBP 500,000,000" in out


def test_verify_reports_a_malformed_manifest(dataset: Path, run_cli: RunCli) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    manifest = dataset / "dataset" / "1.0.0" / "manifest.json"
    body = json.loads(manifest.read_text())
    del body["files"]
    manifest.write_text(json.dumps(body))
    assert "malformed" in run_cli("verify", "--root", dataset, code=1).stdout


def test_diff_sees_seed_metadata_and_attribution_changes(dataset: Path, run_cli: RunCli) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    meta = dataset / "seeds" / f"{SEED}.yaml"
    edit(meta, "French news article. The copy", "A French news article. The copy")
    assert "needs a patch version bump" in run_cli("diff", "1.0.0", "--root", dataset).stdout
    edit(meta, "author: Esther Buitekant", "author: Esther Buitekant (journalist)")
    assert "needs a minor version bump" in run_cli("diff", "1.0.0", "--root", dataset).stdout
    edit(dataset / "claims" / f"{VALUE}.yaml", "  name: Financial Times\n", "  name: Reuters\n")
    out = run_cli("diff", "1.0.0", "--root", dataset).stdout
    assert "needs a minor version bump" in out and f"seed {SEED}" in out


def test_locator_with_unicode_digits(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    import_file("averitec", DATA / "averitec_sample.json", Dataset.open(root))
    claim = sorted((root / "claims").glob("*.yaml"))[0]
    text = claim.read_text()
    locator = next(line for line in text.splitlines() if "locator:" in line)
    claim.write_text(text.replace(locator, "  locator: /²/claim"))
    assert "[evidence.locator]" in run_cli("validate", "--root", root, code=1).stdout


def test_duplicate_column_is_a_usage_error(dataset: Path, run_cli: RunCli) -> None:
    run_cli("query", "--root", dataset, "--columns", "claim_id,claim_id", code=2)


def test_future_dated_results_are_not_cached(dataset: Path, tmp_path: Path) -> None:
    edit(dataset / "claims" / f"{VALUE}.yaml", "- date: '2021-10-27'", "- date: '2099-01-01'")
    for expected_hits in (0, 13):
        store = ResultCache(tmp_path / "c")
        report = validate(Dataset.open(dataset), cache=store, records=False)
        store.close()
        assert report.cache_hits == expected_hits
        assert [f.rule for f in report.findings] == ["model.future-date"]


def test_junit_escapes_control_characters(dataset: Path, run_cli: RunCli) -> None:
    edit(dataset / "claims" / f"{VALUE}.yaml", "currency: GBP", 'currency: "G\\x01B"')
    out = run_cli("validate", "--root", dataset, "--format", "junit", code=1).stdout
    ET.fromstring(out)


def test_validating_the_root_skips_hidden_files(dataset: Path, run_cli: RunCli) -> None:
    (dataset / ".pre-commit-hooks.yaml").write_text("- id: x\n")
    run_cli("validate", "--root", dataset, dataset)


def _imported(tmp_path: Path, run_cli: RunCli) -> Path:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    for fmt, name in (
        ("liar", "liar_messy.tsv"),
        ("averitec", "averitec_sample.json"),
        ("claimreview", "claimreview_graph.jsonld"),
    ):
        import_file(fmt, DATA / name, Dataset.open(root))
    return root


def test_release_keeps_json_seeds_apart_from_seed_metadata(tmp_path: Path, run_cli: RunCli) -> None:
    root = _imported(tmp_path, run_cli)
    # the LIAR sample is tiny: its quotes are over a quarter of it, which no release publishes
    refused = run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog", code=1)
    assert "[publish.quote-budget]" in refused.stderr
    for meta in (root / "seeds").glob("liar-*.yaml"):
        edit(meta, "redistribution: quotes_only", "redistribution: none")
    run_cli("release", "--root", root, "--version", "1.0.0", "--no-changelog")
    assert "no changes" in run_cli("diff", "1.0.0", "--root", root).stdout
    run_cli("release", "--root", root, "--bump", "patch", code=2)  # nothing changed


def test_reimport_keeps_an_editors_status_and_quote_translation(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _imported(tmp_path, run_cli)
    claim = root / "claims" / "liar-1.yaml"
    edit(claim, "status: refuted\nhistory:", "status: disputed\nhistory:")
    imported_on = yaml.safe_load(claim.read_text("utf-8"))["history"][-1]["date"]
    edit(  # on the day of the import: a fixed date would be older than it after midnight
        claim,
        "reviews:",
        f"- date: '{imported_on}'\n  status: disputed\n  reason: Our desk "
        "found conflicting evidence.\nreviews:",
    )
    edit(
        claim,
        "  language: en\n",
        "  language: en\n  translation:\n    text: Dit que le plan "
        "coute 1 000 milliards.\n    language: fr\n    method: human\n    translator: A. Editor\n",
    )
    run_cli("validate", "--root", root)
    before = claim.read_bytes()
    report = import_file("liar", DATA / "liar_messy.tsv", Dataset.open(root))
    assert report.updated == [] and claim.read_bytes() == before


def test_averitec_identity_survives_a_changed_file(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    import_file("averitec", DATA / "averitec_sample.json", Dataset.open(root))
    changed = tmp_path / "averitec_v2.json"
    changed.write_text(
        (DATA / "averitec_sample.json")
        .read_text()
        .replace('"label": "Refuted"', '"label": "Supported"', 1)
    )
    report = import_file("averitec", changed, Dataset.open(root))
    assert report.added == [] and len(report.updated) == 3
    assert len(list((root / "claims").glob("*.yaml"))) == 3


def test_explicit_root_never_reads_packaged_releases(tmp_path: Path, run_cli: RunCli) -> None:
    import claimtrack  # noqa: PLC0415

    with pytest.raises(claimtrack.ClaimtrackError, match="no release"):
        claimtrack.load(tmp_path, version="1.0.0")
    run_cli("verify", "--root", tmp_path, code=2)


def test_rejected_import_archives_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    publishable(root)
    (tmp_path / "bad.json").write_text("[" * 100_000 + "]" * 100_000)
    run_cli("import", "averitec", tmp_path / "bad.json", "--into", root, code=2)
    (tmp_path / "bad2.json").write_text("not json")
    run_cli("import", "averitec", tmp_path / "bad2.json", "--into", root, code=2)
    assert [p.name for p in (root / "seeds").iterdir()] == [".gitkeep"]


def test_unwritable_output_is_an_input_error(
    dataset: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "afile").write_text("x")
    run_cli("export", "csv", "--root", dataset, "-o", tmp_path / "afile" / "x.csv", code=2)
    run_cli("query", "--root", dataset, "-o", tmp_path / "afile" / "x.csv", code=2)


def test_liar_byte_order_marks_are_not_data(tmp_path: Path, run_cli: RunCli) -> None:
    root = _imported(tmp_path, run_cli)
    text = (root / "claims" / "liar-2.yaml").read_text()
    assert "\ufeff" not in text and "statement: The river is 100 miles long." in text
    run_cli("validate", "--root", root)


def test_export_under_the_original_rater_keeps_its_label(tmp_path: Path, run_cli: RunCli) -> None:
    root = _imported(tmp_path, run_cli)
    out = run_cli("export", "claimreview", "--root", root)
    reviews = json.loads(out.stdout)["@graph"]
    # LIAR gives no page for PolitiFact's review: a ClaimReview needs one, so none is made up
    assert "liar-6" not in {r["identifier"] for r in reviews}
    assert "left out a review of liar-6: PolitiFact's review has no known URL" in out.stderr
    imported = next(r for r in reviews if r["author"]["name"] != "claimtrack")
    assert imported["url"].startswith("https://")
    assert imported["reviewRating"]["alternateName"]  # the rater's own label, verbatim


def test_load_from_a_script_without_a_main_guard(dataset: Path, tmp_path: Path) -> None:
    import sys  # noqa: PLC0415

    from claimtrack.validate.runner import PARALLEL_MIN_FILES  # noqa: PLC0415

    source = (dataset / "claims" / f"{VALUE}.yaml").read_text("utf-8")
    for i in range(PARALLEL_MIN_FILES + 10):
        (dataset / "claims" / f"copy-{i:04d}.yaml").write_text(
            source.replace(f"id: {VALUE}", f"id: copy-{i:04d}"), "utf-8"
        )
    script = tmp_path / "analysis.py"
    script.write_text(f"import claimtrack\nprint(claimtrack.load({str(dataset)!r}).height)\n")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == str(13 + PARALLEL_MIN_FILES + 10)
