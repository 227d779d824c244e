"""The repository's own dataset: valid, complete and honest about what it does not know."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from claimtrack.model import schema_export as schemas
from claimtrack.model.vocab import AttributionRole, ConfirmationStatus, EntityType, ResponseType
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import REPO, RunCli


def test_repository_dataset_validates(run_cli: RunCli) -> None:
    result = run_cli("validate", "--root", REPO)
    assert result.output == ""


def test_committed_schemas_are_current(run_cli: RunCli) -> None:
    run_cli("schema", "--check", "--root", REPO)
    for item in schemas.SCHEMAS:
        assert (REPO / "schemas" / item.file_name).read_bytes() == schemas.render(item)


def test_seed_metadata_records_its_text_and_guesses_nothing() -> None:
    ours = REPO / "seeds" / "000_41d59578b16f00ef.txt"
    meta = yaml.safe_load((REPO / "seeds" / "000_41d59578b16f00ef.yaml").read_text("utf-8"))
    assert meta["sha256"] == hashlib.sha256(ours.read_bytes()).hexdigest()
    # the copy names no publisher and no URL: they stay unknown, never guessed
    assert meta["publisher"] is None
    assert meta["url"] is None


def test_seed_article_is_the_shared_original_byte_for_byte() -> None:
    shared = REPO.parent / "shared" / "seeds" / "000_41d59578b16f00ef.txt"
    if not shared.exists():
        pytest.skip(f"the original article is not beside the repository ({shared})")
    assert shared.read_bytes() == (REPO / "seeds" / "000_41d59578b16f00ef.txt").read_bytes()


def test_example_claims_of_the_brief() -> None:
    report = validate(Dataset.open(REPO))
    claims = {c.id: c for c in report.claims}
    value = claims["contract-value-gbp-500m-to-1bn-over-ten-years"]
    assert value.value is not None and value.value.type == "money"
    assert (value.value.currency, str(value.value.min), str(value.value.max)) == (
        "GBP",
        "500000000",
        "1000000000",
    )
    assert value.value.period == "P10Y" and value.value.estimate
    assert value.status is ConfirmationStatus.REPORTED
    assert any(
        r.party == "Amazon" and r.response is ResponseType.NOT_CONFIRMED for r in value.responses
    )
    assert value.attribution[0].name == "Financial Times"
    residency = claims["agency-data-held-only-in-uk"]
    assert residency.value is not None and residency.value.type == "jurisdiction"
    assert residency.value.countries == ["GB"]
    assert [a.role for a in residency.attribution] == [
        AttributionRole.ASSERTER,  # the Financial Times
        AttributionRole.CITED_SOURCE,  # its sources close to the matter
        AttributionRole.ASSERTER,  # the article's own subheading
        AttributionRole.RELAY,
    ]


def test_the_audit_corrections_hold() -> None:
    report = validate(Dataset.open(REPO))
    claims = {c.id: c for c in report.claims}
    assert "classified documents" in claims["aws-contract-uk-intelligence-agencies"].statement
    for claim in claims.values():
        if any(r.response is ResponseType.DECLINED_TO_COMMENT for r in claim.responses):
            spoke = [r for r in claim.responses if r.response is ResponseType.COMMENTED]
            # both sentences of the spokesperson's answer, each with its quote
            assert [r.party for r in spoke] == ["Government spokesperson (unnamed)"] * 2, claim.id
            assert [r.evidence for r in spoke] == [["q-spokesperson"], ["q-spokesperson-2"]]
    for name in [c for c in claims if c.startswith("uk-government-")]:
        claim = claims[name]
        # one convention: the statement states the assertion, the chain says who made it
        assert "according to" not in claim.statement, name
        assert claim.attribution[0].name == "Government spokesperson (unnamed)"
        assert claim.subjects[0].name == "UK government"
        assert claim.notes is not None and "is an inference" in claim.notes


def test_the_1_3_0_audit_corrections_hold() -> None:
    report = validate(Dataset.open(REPO))
    claims = {c.id: c for c in report.claims}
    # the spokesperson has one type wherever it appears
    spokesperson = "Government spokesperson (unnamed)"
    kinds = {a.type for c in claims.values() for a in c.attribution if a.name == spokesperson}
    kinds |= {r.type for c in claims.values() for r in c.responses if r.party == spokesperson}
    assert kinds == {EntityType.PERSON}
    access = claims["amazon-no-access-to-agency-data"]
    assert "The archived article, in its own voice" in [a.name for a in access.attribution]
    assert access.history[0].evidence == ["q1", "q2"]
    criticised = claims["uk-choice-of-foreign-private-company-criticised"]
    assert criticised.attribution[0].name == "The archived article, in its own voice"
    assert criticised.attribution[1].role is AttributionRole.CITED_SOURCE
    assert [r.response for r in criticised.responses] == [ResponseType.COMMENTED] * 2
    declined = claims["amazon-and-uk-authorities-declined-to-comment"]
    assert any(a.type is EntityType.NEWS_AGENCY and "AFP" in a.name for a in declined.attribution)
    for claim in claims.values():
        for link in claim.attribution:
            assert link.as_described not in ("le Financial Times évoque",), claim.id
            assert not (link.as_described or "").endswith("a révélé dans un article"), claim.id
    # every published claim changed in substance carries its dated correction
    assert all(c.corrections for c in claims.values() if c.schema_version == "1.3")
    seed = report.seeds[0]
    assert seed.redistribution.value == "none"
    assert seed.publisher is None and seed.url is None  # not confirmed: left unknown


def test_every_claim_is_backed_and_translations_are_marked() -> None:
    report = validate(Dataset.open(REPO))
    assert len(report.claims) >= 12
    for claim in report.claims:
        assert claim.evidence, claim.id
        assert any(a.role is AttributionRole.RELAY for a in claim.attribution), claim.id
        for quote in claim.evidence:
            assert quote.translation is not None, claim.id
            assert quote.translation.language == "en"
            assert quote.translation.method in ("human", "machine")


def test_published_releases_are_intact() -> None:
    from claimtrack.release.verify import verify  # noqa: PLC0415
    from claimtrack.store.releases import release_dirs  # noqa: PLC0415

    folders = list(release_dirs(None).values()) + [
        p for p in (REPO / "dataset").iterdir() if p.is_dir()
    ]
    assert folders, "release 1.0.0 is committed"
    for folder in folders:
        assert verify(folder) == [], f"{folder} changed after release: released files never change"


def test_an_older_release_loads_as_released() -> None:
    import claimtrack  # noqa: PLC0415

    old = claimtrack.load_tables(REPO, version="1.0.0")
    assert "external_ids" not in old  # added in 1.1.0: 1.0.0 stays as it was
    assert old["claims"].height == 13
    assert "external_ids" in claimtrack.load_tables(REPO, version="1.1.0")
