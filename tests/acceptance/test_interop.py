"""init, importers (LIAR, AVeriTeC, ClaimReview) and exports (ClaimReview, CSV)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
import yaml

import claimtrack
from claimtrack.interop.importing import import_file
from claimtrack.model.labels import LIAR as LIAR_SCALE
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import REPO, TESTS, RunCli, publishable

DATA = TESTS / "data"
LIAR = REPO.parent / "shared" / "data" / "liar"


@pytest.fixture
def fresh(tmp_path: Path, run_cli: RunCli) -> Path:
    root = tmp_path / "new-dataset"
    run_cli("init", root)
    publishable(root)
    return root


def claim(root: Path, claim_id: str) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((root / "claims" / f"{claim_id}.yaml").read_text())
    return data


def test_init_makes_a_valid_empty_dataset(fresh: Path, run_cli: RunCli) -> None:
    for name in (
        "claims",
        "seeds",
        "schemas",
        "dataset",
        "CHANGELOG.md",
        "README.md",
        ".pre-commit-config.yaml",
        ".github/workflows/validate.yml",
    ):
        assert (fresh / name).exists(), name
    assert run_cli("validate", "--root", fresh).stdout == ""
    run_cli("schema", "--check", "--root", fresh)
    run_cli("init", fresh, code=2)  # never overwrites


def test_liar_messy_records(fresh: Path, run_cli: RunCli) -> None:
    result = run_cli("import", "liar", DATA / "liar_messy.tsv", "--into", fresh, code=1)
    assert "3 added" in result.stdout and "3 skipped" in result.stdout
    assert "liar_messy.tsv:3: expected 14 tab-separated fields, found 4" in result.stderr
    assert "unknown label `unknown-label`" in result.stderr
    assert "liar_messy.tsv:5: empty statement" in result.stderr
    assert "same statement as 1.json with a different label" in result.stderr
    first = claim(fresh, "liar-1")
    assert first["statement"] == 'Says "the plan costs $1 trillion.'
    assert first["attribution"][0]["name"] == "jane-doe"  # type: ignore[index]
    history = first["history"][0]  # type: ignore[index]
    assert (history["status"], history["source_label"], history["rated_by"]) == (
        "refuted",
        "false",
        "PolitiFact",
    )
    assert first["external_ids"] == [{"system": "liar", "id": "1.json"}]
    blank = claim(fresh, "liar-2")
    assert blank["attribution"][0]["type"] == "anonymous"  # type: ignore[index]
    run_cli("validate", "--root", fresh)


def test_reimport_changes_nothing_and_a_new_label_is_a_review(
    fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    source = DATA / "liar_messy.tsv"
    first = import_file("liar", source, Dataset.open(fresh))
    before = {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")}
    again = import_file("liar", source, Dataset.open(fresh))
    assert (again.added, again.updated, again.unchanged) == ([], [], 3)
    assert {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")} == before
    relabelled = tmp_path / "relabelled.tsv"
    relabelled.write_bytes(source.read_bytes().replace(b"1.json\tfalse", b"1.json\ttrue"))
    report = import_file("liar", relabelled, Dataset.open(fresh))
    # every record gains the newer file as evidence, the earlier one stays; liar-1 a review
    assert sorted(report.updated) == ["liar-1", "liar-2", "liar-6"]
    liar1 = claim(fresh, "liar-1")
    assert [q["seed"] for q in liar1["evidence"]] == [first.seed_id, report.seed_id]  # type: ignore[attr-defined]
    relays = [a["seed"] for a in liar1["attribution"] if a["role"] == "relay"]  # type: ignore[attr-defined]
    assert relays == [first.seed_id, report.seed_id]
    assert [r["label"] for r in liar1["reviews"]] == ["false", "true"]  # type: ignore[attr-defined]
    assert len(liar1["history"]) == 1  # type: ignore[arg-type]
    assert len(claim(fresh, "liar-2")["reviews"]) == 1  # type: ignore[arg-type]
    before = {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")}
    assert import_file("liar", source, Dataset.open(fresh)).updated == []  # the first file again
    assert {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")} == before
    run_cli("validate", "--root", fresh)


@pytest.mark.skipif(not LIAR.is_dir(), reason="LIAR sample data (../shared/data/liar) is absent")
def test_liar_counts(fresh: Path) -> None:
    counts = {}
    for split in ("train", "valid", "test"):
        report = import_file("liar", LIAR / f"{split}.tsv", Dataset.open(fresh), dry_run=True)
        assert report.skipped == []
        counts[split] = len(report.added)
    assert counts == {"train": 10269, "valid": 1284, "test": 1283}


@pytest.mark.skipif(not LIAR.is_dir(), reason="LIAR sample data (../shared/data/liar) is absent")
def test_liar_valid_split_imports_and_validates(fresh: Path) -> None:
    report = import_file("liar", LIAR / "valid.tsv", Dataset.open(fresh))
    assert len(report.added) == 1284
    result = validate(Dataset.open(fresh), jobs=2)
    assert result.ok, result.findings[:3]
    history = claimtrack.load_tables(fresh)["status_history"]
    assert set(history["source_label"].unique().to_list()) == set(LIAR_SCALE.imports)
    for label, status in history.select("source_label", "status").unique().iter_rows():
        assert LIAR_SCALE.imports[label] == status, label
    # PolitiFact's Mostly False is no longer filed with the half-true and mostly-true ones
    mostly_false = history.filter(history["source_label"] == "barely-true")
    assert set(mostly_false["status"].cast(str).to_list()) == {"mostly_false"}


def test_averitec(fresh: Path, run_cli: RunCli) -> None:
    result = run_cli("import", "averitec", DATA / "averitec_sample.json", "--into", fresh, code=1)
    assert "3 added" in result.stdout and "2 skipped" in result.stdout
    assert "missing or empty `claim`" in result.stderr and "`Pants on Fire`" in result.stderr
    tables = claimtrack.load_tables(fresh)
    history = tables["status_history"].sort("claim_id")
    assert sorted(history["source_label"].to_list()) == [
        "Conflicting Evidence/Cherrypicking",
        "Refuted",
        "Supported",
    ]
    dates = dict(zip(history["source_label"], history["date"], strict=True))
    assert str(dates["Refuted"]) == "2021-03-14"
    links = tables["attributions"]
    assert "Jane Example" in links["name"].to_list()  # padding stripped
    assert "Example Daily" in links.filter(links["role"] == "first_reporter")["name"].to_list()
    ids = tables["external_ids"]
    assert "https://factcheck.example.org/articles/parks-budget" in ids["url"].to_list()
    quotes = tables["evidence"]
    assert quotes["locator"].to_list()[0].endswith("/claim")


def test_claimreview_graph_and_single(fresh: Path, run_cli: RunCli) -> None:
    result = run_cli(
        "import",
        "claimreview",
        DATA / "claimreview_graph.jsonld",
        DATA / "claimreview_single.jsonld",
        "--into",
        fresh,
        code=1,
    )
    assert "not a ClaimReview" in result.stderr
    tables = claimtrack.load_tables(fresh)
    rows = {r["statement"]: r for r in tables["claims"].iter_rows(named=True)}
    assert rows["Drinking hot water cures the flu."]["status"] == "refuted"
    assert rows["Unemployment fell for six months in a row."]["status"] == "confirmed"
    assert rows["The bridge was built in 1890."]["status"] == "partly_confirmed"
    labels = set(tables["status_history"]["source_label"].to_list())
    assert {"False", "Largely accurate", "Mostly true"} <= labels


def _our_verdicts(root: Path, run_cli: RunCli, status: str = "refuted") -> list[str]:
    """Record the dataset's own verdict on every claim of a test's copy (the repository's
    claims are only `reported`: nobody reviewed them)."""
    ids = sorted(p.stem for p in (root / "claims").glob("*.yaml"))
    for claim_id in ids:
        run_cli(
            "claim", "status", claim_id, status, "--root", root, "--date", TODAY,
            "--reason", "Our desk checked it against the contract notice.",
        )  # fmt: skip
    return ids


TODAY = dt.date.today().isoformat()


def test_no_claimreview_for_claims_nobody_rated(dataset: Path, run_cli: RunCli) -> None:
    out = run_cli("export", "claimreview", "--root", dataset, "--base-url", "https://x.example")
    assert json.loads(out.stdout)["@graph"] == []  # reported, not_checkable: not reviews


def test_export_claimreview_round_trip(dataset: Path, tmp_path: Path, run_cli: RunCli) -> None:
    ids = _our_verdicts(dataset, run_cli)
    out = tmp_path / "reviews.jsonld"
    export = ["export", "claimreview", "--root", dataset, "-o", out]
    run_cli(*export)
    assert json.loads(out.read_text())["@graph"] == []  # no page to point at, no reviewer
    run_cli(*export, "--base-url", "https://checks.example.org", "--publisher", "Our Desk")
    reviews = json.loads(out.read_text())["@graph"]
    assert [r["identifier"] for r in reviews] == ids
    for review in reviews:
        assert {
            "claimReviewed", "reviewRating", "url", "author", "datePublished", "itemReviewed",
        } <= set(review)  # fmt: skip
        assert review["url"] == f"https://checks.example.org/claims/{review['identifier']}.html"
        assert review["author"] == {"@type": "Organization", "name": "Our Desk"}
        assert review["datePublished"] == TODAY
        assert review["reviewRating"]["alternateName"] == "False"
        assert review["reviewRating"]["ratingExplanation"].startswith("Our desk checked")
    target = tmp_path / "again"
    run_cli("init", target)
    publishable(target)
    run_cli("import", "claimreview", out, "--into", target)
    original = claimtrack.load(dataset).sort("claim_id")
    imported = claimtrack.load(target).sort("claim_id")
    assert imported["claim_id"].to_list() == original["claim_id"].to_list()
    assert imported["statement"].to_list() == original["statement"].to_list()
    assert imported["status"].cast(str).to_list() == original["status"].cast(str).to_list()
    assert imported["status_since"].to_list() == original["status_since"].to_list()
    # every asserter of the chain is an author of the claim reviewed, and comes back as one
    for before, after in zip(original["asserted_by"], imported["asserted_by"], strict=True):
        assert sorted(after) == sorted(before)


def test_export_without_base_url_invents_no_url(dataset: Path, run_cli: RunCli) -> None:
    body = json.loads(run_cli("export", "claimreview", "--root", dataset).stdout)
    assert all("url" not in review for review in body["@graph"])


def test_export_csv(dataset: Path, run_cli: RunCli) -> None:
    lines = run_cli("export", "csv", "--root", dataset).stdout.splitlines()
    assert lines[0].startswith("claim_id,statement,")
    assert len(lines) == 14


def test_averitec_records_sharing_text_speaker_and_date_are_all_kept(
    fresh: Path, run_cli: RunCli
) -> None:
    source = DATA / "averitec_collisions.json"
    result = run_cli("import", "averitec", source, "--into", fresh, code=1)
    assert "2 added" in result.stdout and "2 skipped" in result.stdout
    assert "averitec_collisions.json record 2: the record holds a lone surrogate" in result.stderr
    assert "averitec_collisions.json record 3: unknown label" in result.stderr
    history = claimtrack.load_tables(fresh)["status_history"]
    assert sorted(history["source_label"].to_list()) == ["Refuted", "Supported"]
    links = claimtrack.load_tables(fresh)["attributions"]
    speakers = links.filter(pl.col("role") == "asserter")
    assert set(speakers["name"]) == {"Mike Pence"}
    assert set(speakers["as_described"]) == {"Mike Pence ", "Mike  Pence"}  # verbatim kept
    again = run_cli("import", "averitec", source, "--into", fresh, code=1)
    assert "0 added, 0 updated, 2 unchanged" in again.stdout


def test_claimreview_numeric_scales_single_objects_and_author_urls(
    fresh: Path, run_cli: RunCli
) -> None:
    result = run_cli(
        "import", "claimreview", DATA / "claimreview_scales.jsonld", "--into", fresh, code=1
    )
    assert "2 added" in result.stdout and "1 skipped" in result.stdout
    assert "no `reviewRating`" in result.stderr  # the 401-digit rating: a rejected record
    tables = claimtrack.load_tables(fresh)
    history = tables["status_history"].sort("claim_id")
    rows = {r["source_label"]: r for r in history.to_dicts()}
    low = rows["1 on a scale from 1 (worst) to 6 (best)"]
    assert str(low["status"]) == "refuted" and low["rated_by"] == "www.checks.example.org"
    high = rows["5 on a scale from 1 (worst) to 5 (best)"]
    assert str(high["status"]) == "confirmed"
    ids = tables["external_ids"]
    assert "https://video.example.org/speech" in ids["url"].to_list()  # single-object appearance


def test_claimreview_keeps_what_googles_example_says(
    fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("import", "claimreview", DATA / "claimreview_google.jsonld", "--into", fresh)
    tables = claimtrack.load_tables(fresh)
    row = tables["claims"].row(0, named=True)
    assert row["claim_date"] == "2016-06-20"  # itemReviewed.datePublished
    entry = tables["status_history"].row(0, named=True)
    assert (entry["rating_value"], entry["rating_best"], entry["rating_worst"]) == (1, 5, 1)
    assert entry["url"] == "https://checks.example.org/2016/the-world-is-flat"
    assert entry["published"] is None  # the review states no date: none is made up
    asserter = tables["attributions"].filter(pl.col("role") == "asserter").row(0, named=True)
    assert asserter["wikidata"] == "Q12345"
    assert "https://news.example.org/square-world" in tables["external_ids"]["url"].to_list()
    out = run_cli(
        "export", "claimreview", "--root", fresh, "--base-url", "https://ours.example.org/c"
    ).stdout
    (review,) = json.loads(out)["@graph"]
    assert "datePublished" not in review  # never the import's date
    assert review["url"] == "https://checks.example.org/2016/the-world-is-flat"  # theirs, kept
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = review["itemReviewed"]
    assert item["datePublished"] == "2016-06-20"
    assert item["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q12345"
    assert item["appearance"] == [
        {"@type": "CreativeWork", "url": "https://news.example.org/square-world"}
    ]


def test_base_url_names_only_our_own_reviews(dataset: Path, run_cli: RunCli) -> None:
    ids = _our_verdicts(dataset, run_cli)
    export = ["export", "claimreview", "--root", dataset, "--publisher", "Our Desk"]
    ours = json.loads(run_cli(*export, "--base-url", "https://ours.example.org/c").stdout)
    assert [r["url"] for r in ours["@graph"]] == [
        f"https://ours.example.org/c/claims/{i}.html" for i in ids
    ]


def test_claimreview_in_a_data_feed_and_an_html_page(fresh: Path, run_cli: RunCli) -> None:
    feed = run_cli(
        "import", "claimreview", DATA / "claimreview_feed.jsonld", "--into", fresh, code=1
    )
    assert "2 added" in feed.stdout and "1 skipped" in feed.stdout
    assert "claimreview_feed.jsonld#/dataFeedElement/2/item: not a ClaimReview" in feed.stderr
    page = run_cli("import", "claimreview", DATA / "claimreview_page.html", "--into", fresh, code=1)
    assert "1 added" in page.stdout and "2 skipped" in page.stderr + page.stdout
    assert "script block 2 is not JSON" in page.stderr
    run_cli("validate", "--root", fresh)  # the quotes point into the page's JSON-LD
    seeds = [yaml.safe_load(p.read_text()) for p in (fresh / "seeds").glob("*.yaml")]
    html = next(s for s in seeds if s.get("original_media_type") == "text/html")
    assert html["original_file"].endswith(".orig.html")
    original = (fresh / "seeds" / html["original_file"]).read_bytes()
    assert original == (DATA / "claimreview_page.html").read_bytes()  # byte for byte
    statuses = claimtrack.load(fresh).select("statement", "claim_date")
    assert ("The harbour wall is 800 metres long.", "2024-01-15") in statuses.rows()
    again = run_cli(
        "import", "claimreview", DATA / "claimreview_page.html", "--into", fresh, code=1
    )
    assert "0 added, 0 updated, 1 unchanged" in again.stdout


def test_export_import_export_keeps_every_review(
    dataset: Path, fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    _our_verdicts(dataset, run_cli)
    options = ["--base-url", "https://checks.example.org", "--publisher", "Our Desk"]
    first = tmp_path / "first.jsonld"
    run_cli("export", "claimreview", "--root", dataset, "-o", first, *options)
    run_cli("import", "claimreview", first, "--into", fresh)
    second = tmp_path / "second.jsonld"
    run_cli("export", "claimreview", "--root", fresh, "-o", second)  # now Our Desk's reviews
    # what a review says survives; who publishes the markup (sdPublisher, sdLicense) is the
    # exporting dataset's, and another rater's explanation is not put in its mouth
    kept = ("identifier", "url", "claimReviewed", "author", "datePublished")
    before, after = (json.loads(p.read_text())["@graph"] for p in (first, second))
    assert [{k: r[k] for k in kept} for r in after] == [{k: r[k] for k in kept} for r in before]
    for old, new in zip(before, after, strict=True):
        rating = {k: v for k, v in old["reviewRating"].items() if k != "ratingExplanation"}
        assert new["reviewRating"] == rating
        assert new["itemReviewed"]["author"] == old["itemReviewed"]["author"]
        assert "sdPublisher" in old and "sdPublisher" not in new  # the fresh one has no identity
    seeds = sorted(p.name for p in (dataset / "seeds").iterdir())
    back = run_cli("import", "claimreview", first, "--into", dataset)
    assert "0 added, 0 updated, 13 unchanged" in back.stdout  # into where it came from
    assert sorted(p.name for p in (dataset / "seeds").iterdir()) == seeds  # nothing archived


def test_factcheck_api_keeps_every_review(fresh: Path, run_cli: RunCli) -> None:
    source = DATA / "factcheck_api.json"
    result = run_cli("import", "factcheck-api", source, "--into", fresh, code=1)
    assert "2 added" in result.stdout and "1 skipped" in result.stdout
    assert "factcheck_api.json#/claims/2: a claim without `text`" in result.stderr
    run_cli("validate", "--root", fresh)
    tables = claimtrack.load_tables(fresh)
    bridge = tables["claims"].filter(pl.col("statement").str.contains("pont")).row(0, named=True)
    assert bridge["claim_date"] == "2024-03-01" and bridge["asserted_by"] == ["Le maire"]
    reviews = tables["reviews"].filter(pl.col("claim_id") == bridge["claim_id"])
    assert reviews.select("rater", "label", "published", "url", "language").rows() == [
        ("checks.example.org", "Mostly false", "2024-03-04", "https://checks.example.org/bridge",
         "en"),
        ("Vérif Exemple", "Faux", "2024-03-05", "https://verif.example.fr/pont", "fr"),
    ]  # fmt: skip
    # two raters, two verdicts: both kept as given, with the status each label maps to
    assert reviews["status"].cast(str).to_list() == ["mostly_false", "refuted"]
    # the history starts from the earliest rating; the other rater's is no status change
    history = tables["status_history"].filter(pl.col("claim_id") == bridge["claim_id"])
    assert history.select("rated_by", "status").rows() == [("checks.example.org", "mostly_false")]
    assert str(bridge["status"]) == "mostly_false"
    warnings = result.stderr + result.stdout
    assert "nextPageToken" in warnings and "more results exist" in warnings
    claimant = tables["attributions"].filter(pl.col("claim_id") == bridge["claim_id"]).row(0)
    assert claimant[3:5] == ("Le maire", "unknown")
    quote = tables["evidence"].filter(pl.col("claim_id") == bridge["claim_id"]).row(0, named=True)
    assert quote["locator"] == "/claims/0/text" and quote["language"] == "fr"
    again = run_cli("import", "factcheck-api", source, "--into", fresh, code=1)
    assert "0 added, 0 updated, 2 unchanged" in again.stdout


def _review(claim: str, url: str | None, rater: str, label: str = "False") -> dict[str, object]:
    review: dict[str, object] = {
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": rater},
        "reviewRating": {"@type": "Rating", "alternateName": label},
    }
    if url:
        review["url"] = url
    return review


def test_distinct_reviews_sharing_a_page_or_a_text_are_all_kept(
    fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / "reviews.json"
    reviews = [
        _review("The bridge cost £2m.", "https://checks.example.org/council", "A"),
        _review("The tram cost £9m.", "https://checks.example.org/council", "A"),  # same page
        _review("Crime doubled.", None, "A"),
        _review("Crime doubled.", None, "B", "True"),  # same text, another rater
    ]
    source.write_text(json.dumps(reviews), "utf-8")
    result = run_cli("import", "claimreview", source, "--into", fresh)
    assert "4 added" in result.stdout
    again = run_cli("import", "claimreview", source, "--into", fresh)
    assert "0 added, 0 updated, 4 unchanged" in again.stdout


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (
            '<html><script type="application/ld+json">{"claimReviewed": "x \\ud800", '
            '"reviewRating": {"alternateName": "False"}}</script></html>',
            "page.html",
        ),
        (
            json.dumps(
                {
                    "claimReviewed": "x",
                    "reviewRating": {"ratingValue": 3},
                    "author": [{"url": "https://[::1/"}],
                }
            ),
            "review.json",
        ),
    ],
)
def test_malformed_reviews_never_crash(
    body: str, name: str, fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / name
    source.write_text(body, "utf-8")
    result = run_cli("import", "claimreview", source, "--into", fresh, code=None)
    assert "added" in result.stdout


def test_a_bad_url_is_dropped_not_the_record(fresh: Path, tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "search.json"
    review = {"textualRating": "False", "publisher": {"name": "P"}, "url": "http://."}
    source.write_text(json.dumps({"claims": [{"text": "x", "claimReview": [review]}]}), "utf-8")
    assert "1 added" in run_cli("import", "factcheck-api", source, "--into", fresh).stdout
    assert claimtrack.load_tables(fresh)["status_history"]["url"].to_list() == [None]


def test_the_same_review_in_a_second_file_adds_evidence_and_moves_nothing(
    fresh: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    example = DATA / "claimreview_google.jsonld"
    page = tmp_path / "fact-check.html"
    page.write_text(
        "<!doctype html><html lang='en'><head><title>Fact check</title>"
        f'<script type="application/ld+json">{example.read_text("utf-8")}</script></head>'
        "<body><p>Our fact check.</p></body></html>",
        "utf-8",
    )
    first = import_file("claimreview", example, Dataset.open(fresh))
    (claim_id,) = first.added
    second = import_file("claimreview", page, Dataset.open(fresh))
    assert second.updated == [claim_id]
    record = claim(fresh, claim_id)
    seeds = [q["seed"] for q in record["evidence"]]  # type: ignore[attr-defined]
    assert seeds == [first.seed_id, second.seed_id]
    relays = [a["seed"] for a in record["attribution"] if a["role"] == "relay"]  # type: ignore[attr-defined]
    assert relays == [first.seed_id, second.seed_id]
    reviews = record["reviews"]
    assert isinstance(reviews, list) and len(reviews) == 1
    assert reviews[0]["evidence"] == ["q1", "q2"]
    assert len(record["history"]) == 1  # type: ignore[arg-type]
    before = {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")}
    for source in (example, page, example):  # again, in any order: nothing changes
        again = import_file("claimreview", source, Dataset.open(fresh))
        assert (again.added, again.updated) == ([], [])
    assert {p.name: p.read_bytes() for p in (fresh / "claims").glob("*.yaml")} == before
    run_cli("validate", "--root", fresh)


def test_labels_in_other_languages_map_and_an_unknown_one_is_kept_as_given(
    fresh: Path, tmp_path: Path
) -> None:
    reviews = [
        _review("Le pont a coûté deux millions.", "https://a.example/1", "Vérif", "Vrai"),
        _review("El puente costó dos millones.", "https://b.example/1", "Chequeo", "Engañoso"),
        _review("Die Brücke kostete zwei Millionen.", "https://c.example/1", "Prüf",
                "Größtenteils falsch"),
        _review("Il ponte è costato due milioni.", "https://d.example/1", "Verifica", "Nì"),
        _review("The bridge cost two million.", "https://e.example/1", "Checker", "Bof"),
    ]  # fmt: skip
    source = tmp_path / "many.jsonld"
    source.write_text(json.dumps(reviews), "utf-8")
    report = import_file("claimreview", source, Dataset.open(fresh))
    got = {}
    for claim_id in report.added:
        record = claim(fresh, claim_id)
        rated = record["reviews"]
        assert isinstance(rated, list) and len(rated) == 1
        got[rated[0]["label"]] = (rated[0].get("status"), record["status"])
    assert got == {
        "Vrai": ("confirmed", "confirmed"),
        "Engañoso": ("misleading", "misleading"),
        "Größtenteils falsch": ("mostly_false", "mostly_false"),
        "Nì": ("partly_confirmed", "partly_confirmed"),
        "Bof": (None, "reported"),  # kept verbatim; it says nothing of the status
    }
