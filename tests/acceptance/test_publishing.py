"""Publish only what a fact-checker would sign: the dataset's identity and policies, the quote
budget of sources whose rights allow quotes only, texts kept outside the repository, and
packages and sites that carry nothing the rights withhold (docs/publishing.md)."""

from __future__ import annotations

import html
import json
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from ..conftest import REPO, RunCli, publishable

SEED = "000_41d59578b16f00ef"
WINDOW = 200  # characters: no package or page may hold a passage this long of a withheld text

# a short report, archived as `quotes_only`: 10 sentences of about 60 characters
REPORT = " ".join(
    f"Sentence {i} of the council report says something of its own, number {i}." for i in range(10)
)


def _dataset(tmp_path: Path, run_cli: RunCli, *, ready: bool = True) -> Path:
    root = tmp_path / "ds"
    run_cli("init", root)
    if ready:
        publishable(root)
    source = tmp_path / "report.txt"
    source.write_text(REPORT, "utf-8")
    run_cli(
        "seed", "add", source, "--root", root, "--id", "report", "--title", "Council report",
        "--published", "2024-03-05", "--language", "en", "--rights", "Council copyright",
    )  # fmt: skip
    return root


def _claim(root: Path, run_cli: RunCli, claim_id: str, quote: str) -> None:
    run_cli(
        "claim", "add", "--root", root, "--seed", "report", "--quote", quote, "--statement",
        f"The report says {claim_id}.", "--kind", "event", "--asserter", "The council",
        "--id", claim_id,
    )  # fmt: skip


def _sentence(i: int) -> str:
    return f"Sentence {i} of the council report says something of its own, number {i}."


# ---------------------------------------------------------------- identity and policies


def test_a_new_dataset_is_released_only_once_it_says_who_publishes_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _dataset(tmp_path, run_cli, ready=False)
    _claim(root, run_cli, "first", _sentence(1))
    refused = run_cli("release", "--root", root, "--version", "1.0.0", code=2).stderr
    for missing in (
        "dataset.yaml has no `name`",
        "dataset.yaml has no `license`",
        "METHODOLOGY.md is still the template",
        "CORRECTIONS.md is still the template",
    ):
        assert missing in refused
    assert "claimtrack init" in refused or "set `name:`" in refused  # each with its fix
    run_cli(
        "about", "--root", root, "--name", "council-claims", "--license", "CC-BY-4.0",
        "--publisher", "City Desk", "--publisher-url", "https://desk.example.org",
        "--contact", "corrections@desk.example.org",
    )  # fmt: skip
    refused = run_cli("release", "--root", root, "--version", "1.0.0", code=2).stderr
    assert "dataset.yaml" not in refused and "METHODOLOGY.md is still the template" in refused
    (root / "METHODOLOGY.md").write_text("# Methodology\n\nWe record council claims.\n", "utf-8")
    (root / "CORRECTIONS.md").write_text("   \n", "utf-8")
    refused = run_cli("release", "--root", root, "--version", "1.0.0", code=2).stderr
    assert "CORRECTIONS.md is empty" in refused
    assert not (root / "dataset" / "1.0.0").exists()
    (root / "CORRECTIONS.md").write_text("# Corrections\n\nWrite to us.\n", "utf-8")
    run_cli("release", "--root", root, "--version", "1.0.0")
    folder = root / "dataset" / "1.0.0"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["name"] == "council-claims" and manifest["license"] == "CC-BY-4.0"
    assert manifest["publisher"] == {"name": "City Desk", "url": "https://desk.example.org"}
    assert manifest["contact"] == "corrections@desk.example.org"
    assert "title" not in manifest and "base_url" not in manifest  # unknown: never invented
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert package["name"] == "council-claims"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["contributors"] == [
        {"title": "City Desk", "roles": ["publisher"], "path": "https://desk.example.org"}
    ]
    card = (folder / "README.md").read_text("utf-8")
    assert "license: cc-by-4.0" in card and "Publisher: City Desk" in card
    assert (folder / "METHODOLOGY.md").read_text("utf-8").startswith("# Methodology")
    assert "Write to us." in (folder / "CORRECTIONS.md").read_text("utf-8")
    assert "release 1.0.0 is intact" in run_cli("verify", "1.0.0", "--root", root).stdout


def test_validate_names_what_is_wrong_in_the_identity(tmp_path: Path, run_cli: RunCli) -> None:
    root = _dataset(tmp_path, run_cli)
    (root / "dataset.yaml").write_text(
        "schema_version: '1.0'\nname: council-claims\nlicense: Free-for-all-1.0\n"
        "base_url: ftp://example.org\n",
        "utf-8",
    )
    out = run_cli("validate", "--root", root, code=1).stdout
    assert "dataset.yaml:3:10: error [identity.invalid] /license:" in out
    assert "not an SPDX licence expression" in out
    assert "dataset.yaml:4:11: error [identity.invalid] /base_url:" in out
    refused = run_cli(
        "about", "--root", root, "--license", "cc-by-4.0", code=2
    ).stderr  # the licence as SPDX spells it, or nothing is written
    assert "write the licence as SPDX does: `CC-BY-4.0`" in refused


def test_about_keeps_the_files_comments_and_lists_what_a_release_needs(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    needs = run_cli("about", "--root", root, code=1)
    assert "license: unknown" in needs.stdout and "release needs: dataset.yaml has no" in (
        needs.stderr
    )
    run_cli("about", "--root", root, "--name", "x", "--license", "MIT", "--language", "fr")
    text = (root / "dataset.yaml").read_text("utf-8")
    assert "# machine name, e.g. city-budget-claims" in text  # the template's comments stay
    data = yaml.safe_load(text)
    assert (data["name"], data["license"], data["languages"]) == ("x", "MIT", ["fr"])
    assert data["publisher"] is None and data["contact"] is None  # not given: still unknown


def test_about_sets_one_publisher_field_and_keeps_the_others(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    refused = run_cli("about", "--root", root, "--publisher-kind", "person", code=2)
    assert "need the publisher's name" in refused.stderr
    run_cli("about", "--root", root, "--publisher", "City Desk", "--publisher-kind", "organisation")
    run_cli("about", "--root", root, "--publisher-url", "https://desk.example.org")
    data = yaml.safe_load((root / "dataset.yaml").read_text("utf-8"))
    assert data["publisher"] == {
        "name": "City Desk", "url": "https://desk.example.org", "kind": "organisation"
    }  # fmt: skip


# ---------------------------------------------------------------- the quote budget


def test_a_source_over_its_budget_is_a_warning_and_refused_at_release(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = _dataset(tmp_path, run_cli)
    for i in (1, 2, 3):  # three of ten sentences: about 30% of the text
        _claim(root, run_cli, f"claim-{i}", _sentence(i))
    out = run_cli("validate", "--root", root).stdout  # work goes on: a warning
    assert "warning [publish.quote-budget]" in out
    assert run_cli("validate", "--root", root).stdout == out  # a warm run says the same
    covered = sum(len(_sentence(i)) for i in (1, 2, 3)) / len(REPORT)
    assert f"cover {covered:.1%} of its {len(REPORT):,} characters; its budget is 25%" in out
    assert "claim-1 (" in out and "redistribution: none" in out
    refused = run_cli("release", "--root", root, "--version", "1.0.0", code=1)
    assert "error [publish.quote-budget]" in refused.stderr or "[publish.quote-budget]" in (
        refused.stderr
    )
    assert not (root / "dataset" / "1.0.0").exists()
    rows = json.loads(run_cli("stats", "--root", root, "--format", "json").stdout)
    share = {r["dimension"]: r["count"] for r in rows if r["value"] == "report"}
    assert share["quote_coverage_pct"] == -(-round(covered * 100, 6) // 1)
    assert share["quote_budget_pct"] == 25
    # the editor trims: two claims now quote the same short passage (counted once)
    for i in (2, 3):
        (root / "claims" / f"claim-{i}.yaml").unlink()
    _claim(root, run_cli, "claim-2", "Sentence 1 of the council")
    out = run_cli("validate", "--root", root).stdout
    assert "quote-budget" not in out
    run_cli("release", "--root", root, "--version", "1.0.0")


def test_quotes_translations_and_original_words_count_once(tmp_path: Path) -> None:
    from claimtrack.model.records import Claim, SourceDocument  # noqa: PLC0415
    from claimtrack.validate.budget import Coverage  # noqa: PLC0415

    text = " ".join(f"w{i:03d}" for i in range(88))  # 439 characters, each word once
    seed = SourceDocument.model_validate(
        {
            "schema_version": "1.1",
            "id": "s",
            "title": "T",
            "language": "en",
            "author": None,
            "publisher": None,
            "published": None,
            "url": None,
            "retrieved": None,
            "archived": "2026-01-01",
            "rights": "Reserved.",
            "text_file": "s.txt",
            "media_type": "text/plain; charset=utf-8",
            "sha256": "0" * 64,
        }
    )
    quote = {
        "id": "q1",
        "seed": "s",
        "text": text[0:34],  # words 0-6
        "start": 0,
        "end": 34,
        "language": "en",
        "translation": {"text": "x" * 500, "language": "fr", "method": "machine"},
    }
    claim = {
        "schema_version": "1.0",
        "id": "c",
        "statement": "S.",
        "original": {"text": text[20:49], "language": "en"},  # words 4-9: overlaps the quote
        "kind": "event",
        "attribution": [
            {"role": "asserter", "name": "A", "type": "person", "as_described": text[100:119]},
            {"role": "relay", "name": "R", "type": "document", "seed": "s"},
        ],
        "evidence": [quote],
        "status": "reported",
        "history": [{"date": "2025-01-01", "status": "reported", "reason": "R."}],
        "created": "2025-01-01T00:00:00Z",
        "updated": "2025-01-01T00:00:00Z",
    }
    found = Coverage([seed], lambda _: text)
    found.add(Claim.model_validate(claim))
    found.add(Claim.model_validate({**claim, "id": "d"}))  # the same words again
    (result,) = found.results()
    # the quote (0-34) and the original (20-49) overlap: 49; as_described (100-119): 19; the
    # translation is the quote's span, not 500 more characters
    assert result.covered == 49 + 19 and result.characters == 439
    assert result.top_claims() == [("c", 34 + 29 + 19), ("d", 34 + 29 + 19)]


def test_a_seed_sets_its_own_budget_within_a_third(tmp_path: Path, run_cli: RunCli) -> None:
    root = _dataset(tmp_path, run_cli)
    for i in (1, 2, 3):
        _claim(root, run_cli, f"claim-{i}", _sentence(i))
    meta = root / "seeds" / "report.yaml"
    original = meta.read_text("utf-8")
    meta.write_text(original + "quote_budget:\n  share: 0.5\n", "utf-8")
    out = run_cli("validate", "--root", root, code=1).stdout
    assert "/quote_budget/share" in out  # never above a third
    meta.write_text(original + "quote_budget:\n  share: 0.33\n", "utf-8")
    out = run_cli("validate", "--root", root, code=1).stdout
    assert "[model.budget-reason]" in out  # above the default only with a reason
    meta.write_text(
        original + "quote_budget:\n  share: 0.33\n  reason: A public notice, quoted in full by "
        "every outlet that reported it.\n",
        "utf-8",
    )
    assert "quote-budget" not in run_cli("validate", "--root", root).stdout
    run_cli("release", "--root", root, "--version", "1.0.0")
    meta.write_text(original + "quote_budget:\n  max_quote: 40\n", "utf-8")
    out = run_cli("validate", "--root", root).stdout
    assert "warning [publish.quote-too-long] /evidence/0/text" in out
    assert "at most 40" in out and "claims/claim-1.yaml" in out


# ---------------------------------------------------------------- texts held elsewhere


@pytest.fixture
def private(dataset: Path, tmp_path: Path) -> Path:
    """A private archive outside the dataset, holding the article's text (gone from seeds/)."""
    folder = tmp_path / "private-archive"
    folder.mkdir()
    shutil.move(dataset / "seeds" / f"{SEED}.txt", folder / f"{SEED}.txt")
    return folder


def test_texts_kept_outside_the_repository(
    dataset: Path, private: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = run_cli("validate", "--root", dataset, code=1).stdout
    assert "[seed.text-missing]" in missing and "CLAIMTRACK_SEED_TEXTS" in missing
    monkeypatch.setenv("CLAIMTRACK_SEED_TEXTS", str(private))
    run_cli("validate", "--root", dataset)  # read from there, checked by its SHA-256
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    run_cli("verify", "1.0.0", "--root", dataset, "--seeds", private)
    (private / f"{SEED}.txt").write_text("another text", "utf-8")
    changed = run_cli("validate", "--root", dataset, code=1).stdout
    assert "[seed.hash-mismatch]" in changed
    (private / f"{SEED}.txt").unlink()
    gone = run_cli("validate", "--root", dataset, code=1).stdout
    assert f"nor in {private}" in gone


# ---------------------------------------------------------------- what packages and pages hold


def _folded(text: str) -> str:
    """Text as a window is compared: entities and escapes undone, quote marks and whitespace
    folded (a YAML file folds long lines, CSV doubles quote marks, JSON escapes them)."""
    text = html.unescape(text).replace('\\"', '"')
    text = re.sub(r"[\"'‘’“”«»]", '"', text).replace('""', '"')
    return " ".join(text.split())


def _windows(texts: list[str], size: int = WINDOW) -> tuple[dict[str, list[int]], list[str]]:
    folded = [_folded(t) for t in texts]
    grams: dict[str, list[int]] = {}
    for n, text in enumerate(folded):
        for i in range(len(text) - size + 1):
            grams.setdefault(text[i : i + 24], []).append(n * 10**9 + i)
    return grams, folded


def _holds_window(content: str, grams: dict[str, list[int]], folded: list[str]) -> bool:
    body = _folded(content)
    for p in range(len(body) - WINDOW + 1):
        for hit in grams.get(body[p : p + 24], ()):
            n, i = divmod(hit, 10**9)
            if body[p : p + WINDOW] == folded[n][i : i + WINDOW]:
                return True
    return False


def _withheld_texts() -> list[str]:
    texts = []
    for meta in (REPO / "seeds").glob("*.yaml"):
        data = yaml.safe_load(meta.read_text("utf-8"))
        if data.get("redistribution", "quotes_only") != "full_text":
            texts.append((REPO / "seeds" / data["text_file"]).read_text("utf-8"))
    return texts


def test_the_window_search_finds_a_copied_passage() -> None:
    texts = _withheld_texts()
    grams, folded = _windows(texts)
    passage = texts[0][500:750]
    assert _holds_window(json.dumps({"q": passage}, ensure_ascii=False), grams, folded)
    assert _holds_window("a,b\n" + '"' + passage.replace('"', '""') + '"', grams, folded)
    assert not _holds_window(passage[:150] + " … " + passage[150:], grams, folded)


def test_packages_and_the_site_hold_no_passage_of_a_withheld_text(
    tmp_path: Path, run_cli: RunCli
) -> None:
    from hatchling.builders.sdist import SdistBuilder  # noqa: PLC0415 - build tooling
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415

    texts = _withheld_texts()
    if not texts:
        pytest.skip("every seed of this copy is full_text")
    grams, folded = _windows(texts)
    source = tmp_path / "src"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv*", ".git", "*cache*"))
    sdist = next(iter(SdistBuilder(str(source)).build(directory=str(tmp_path / "dist"))))
    wheel = next(iter(WheelBuilder(str(source)).build(directory=str(tmp_path / "dist"))))
    members: dict[str, bytes] = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                members[f"sdist:{member.name}"] = handle.read()
    with zipfile.ZipFile(wheel) as archive:
        members |= {f"wheel:{name}": archive.read(name) for name in archive.namelist()}
    site = tmp_path / "site"
    run_cli("site", "--root", REPO, "-o", site)
    members |= {f"site:{p}": p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert any(name.endswith("claims.parquet") for name in members)  # the checks see data
    leaks = [
        name
        for name, data in members.items()
        if _holds_window(data.decode("utf-8", "ignore"), grams, folded)
    ]
    assert leaks == []
    withdrawn = json.loads((REPO / "dataset" / "withdrawn.json").read_text("utf-8"))
    prefix = next(n for n in members if n.startswith("sdist:")).split("/")[0] + "/"
    for version, entry in withdrawn.items():
        for path in entry["files"]:
            assert f"{prefix}dataset/{version}/{path}" not in members
            assert f"wheel:claimtrack/_releases/{version}/{path}" not in members


def _strings(value: object, skip: frozenset[str]) -> list[str]:
    """Every string in a JSON value, but those under keys in ``skip``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, skip)]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in _strings(v, skip)]
    return []


def test_the_latest_release_carries_no_words_of_a_source_that_allows_none() -> None:
    latest = sorted(
        (p for p in (REPO / "dataset").iterdir() if (p / "manifest.json").is_file()),
        key=lambda p: tuple(int(x) for x in p.name.split(".")),
    )[-1]
    silent = []
    for meta in (REPO / "seeds").glob("*.yaml"):
        data = yaml.safe_load(meta.read_text("utf-8"))
        if data.get("redistribution") == "none":
            silent.append(_folded((REPO / "seeds" / data["text_file"]).read_text("utf-8")))
    if not silent:
        pytest.skip("no source of this dataset allows nothing")
    size = 24  # characters: longer than the names the claims share with the article
    windows = {t[i : i + size] for t in silent for i in range(len(t) - size + 1)}
    names = frozenset({"name", "party", "id", "seed", "text_sha256"})  # names, not words
    for line in (latest / "claims.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        for text in _strings(record, names):
            folded = _folded(text)
            shared = {folded[i : i + size] for i in range(len(folded) - size + 1)} & windows
            assert not shared, (record["id"], sorted(shared)[:2])


def test_a_seed_text_is_never_read_through_a_link(
    dataset: Path, private: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMTRACK_SEED_TEXTS", str(private))
    meta = yaml.safe_load((dataset / "seeds" / f"{SEED}.yaml").read_text("utf-8"))
    evil = {**meta, "id": "evil", "text_file": "evil.txt", "redistribution": "full_text"}
    (dataset / "seeds" / "evil.yaml").write_text(yaml.safe_dump(evil), "utf-8")
    (dataset / "seeds" / "evil.txt").symlink_to(private / f"{SEED}.txt")  # the private text
    out = run_cli("validate", "--root", dataset, code=1).stdout
    assert "seeds/evil.yaml" in out and "[seed.text-missing]" in out
    refused = run_cli("release", "--root", dataset, "--version", "1.0.0", code=1)
    assert not (dataset / "dataset" / "1.0.0").exists(), refused.stderr


def test_a_change_of_rights_alone_needs_no_correction(dataset: Path, run_cli: RunCli) -> None:
    run_cli("release", "--root", dataset, "--version", "1.0.0", "--no-changelog")
    meta = dataset / "seeds" / f"{SEED}.yaml"
    meta.write_text(
        meta.read_text("utf-8").replace("redistribution: none", "redistribution: full_text"),
        "utf-8",
    )  # the words become publishable: no claim was wrong
    run_cli("release", "--root", dataset, "--bump", "minor", "--no-changelog")
    assert (dataset / "dataset" / "1.1.0" / "seeds" / f"{SEED}.txt").is_file()


def test_about_writes_nothing_it_refuses(tmp_path: Path, run_cli: RunCli) -> None:
    root = tmp_path / "ds"
    run_cli("init", root)
    (root / "dataset.yaml").unlink()
    run_cli("about", "--root", root, "--license", "NotALicence", code=2)
    assert not (root / "dataset.yaml").exists()
    run_cli("about", "--root", root, "--license", "MIT")
    assert yaml.safe_load((root / "dataset.yaml").read_text("utf-8"))["license"] == "MIT"


def test_a_compound_licence_has_no_single_licence_page() -> None:
    from claimtrack.model.identity import DatasetIdentity  # noqa: PLC0415
    from claimtrack.release.claimreview import Publishing  # noqa: PLC0415

    about = DatasetIdentity.model_validate(
        {"schema_version": "1.0", "license": "MIT OR Apache-2.0", "publisher": {"name": "D"}}
    )
    assert Publishing.of(about).license == "MIT OR Apache-2.0"
