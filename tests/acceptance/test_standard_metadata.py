"""Every release describes itself for other ecosystems, and each one's own validator or reader
accepts it: Frictionless (Data Package v2), mlcroissant (Croissant 1.1), rdflib (DCAT 3 and the
PROV export), cffconvert (CITATION.cff) and Hugging Face `datasets` (the card's configs)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import ResultRow

import claimtrack
from claimtrack.release.publish import release
from claimtrack.store.layout import Dataset
from claimtrack.tables.frames import TABLES

from ..conftest import REPO, RunCli, publishable, redistribute

DATE = "2026-11-28"
VERSION = "1.0.0"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's dataset released whole, and partitioned with its texts shipping."""
    out = {}
    for kind, part, policy in (("whole", 1_000, None), ("parted", 4, "full_text")):
        root = tmp_path_factory.mktemp(kind) / "data"
        for name in ("claims", "seeds", "schemas"):
            shutil.copytree(REPO / name, root / name)
        for name in ("dataset.yaml", "METHODOLOGY.md", "CORRECTIONS.md"):
            shutil.copy2(REPO / name, root / name)
        if policy:
            redistribute(root, policy)
        release(Dataset.open(root), version=VERSION, date=DATE, changelog=False, part_claims=part)
        out[kind] = root / "dataset" / VERSION
    return out


def _manifest(folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((folder / "manifest.json").read_bytes())
    return result


def _hashes(folder: Path) -> dict[str, str]:
    return {f["path"]: f["sha256"] for f in _manifest(folder)["files"]}


# ---------------------------------------------------------------- Data Package v2


@pytest.mark.parametrize("kind", ["whole", "parted"])
def test_frictionless_validates_the_data_package(releases: dict[str, Path], kind: str) -> None:
    from frictionless import validate  # noqa: PLC0415 - slow import

    folder = releases[kind]
    package = json.loads((folder / "datapackage.json").read_bytes())
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["contributors"] == [{"title": "claimtrack maintainers", "roles": ["publisher"]}]
    assert package["licenses"] == [
        {"name": "CC-BY-4.0", "path": "https://spdx.org/licenses/CC-BY-4.0.html"}
    ]
    [source] = package["sources"]
    assert source["x-claimtrack"]["rights"].startswith("Not stated in the archived copy")
    assert "path" not in source  # the article's URL is unknown: none is made up
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["title", "message"])[:5]
    names = {r["name"] for r in package["resources"]}
    assert {n.replace("_", "-") for n in TABLES} <= names
    assert {n.replace("_", "-") + "-parquet" for n in TABLES} <= names


def test_a_partitioned_table_lists_every_part_and_their_hash(releases: dict[str, Path]) -> None:
    from frictionless import validate  # noqa: PLC0415 - slow import

    folder = releases["parted"]
    package = json.loads((folder / "datapackage.json").read_bytes())
    tables = _manifest(folder)["tables"]
    claims = next(r for r in package["resources"] if r["name"] == "claims-parquet")
    assert claims["path"] == tables["claims"]["parts"] and len(claims["path"]) == 4
    joined = b"".join((folder / p).read_bytes() for p in claims["path"])
    assert claims["hash"] == "sha256:" + hashlib.sha256(joined).hexdigest()
    assert claims["bytes"] == len(joined)
    # the validator checks that hash: a part changed is caught
    copy = folder.parent.parent.parent / "tampered"
    shutil.copytree(folder, copy)
    part = copy / claims["path"][1]
    part.write_bytes(part.read_bytes()[:-1] + b"\0")
    assert not validate(str(copy / "datapackage.json")).valid


# ---------------------------------------------------------------- Croissant


def _plain(value: Any) -> Any:
    """A value as mlcroissant yields it, made comparable with Polars' rows."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list | tuple) or type(value).__name__ == "ndarray":
        return [_plain(v) for v in value]
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.date()  # a date column, read as a midnight timestamp
    if isinstance(value, float | decimal.Decimal):
        return float(value)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC)
    return value


def _rows_of(frame: pl.DataFrame) -> list[list[Any]]:
    return [[_cell(value) for value in row] for row in frame.rows()]


# mlcroissant 1.1 calls a pandas API that pandas 3.1 deprecates: its warning, not ours
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
@pytest.mark.parametrize("kind", ["whole", "parted"])
def test_croissant_record_sets_give_the_rows_load_gives(
    releases: dict[str, Path], kind: str
) -> None:
    mlc = pytest.importorskip("mlcroissant")
    folder = releases[kind]
    dataset = mlc.Dataset(str(folder / "croissant.json"))
    assert "error" not in dataset.metadata.issues.report().lower()
    tables = claimtrack.load_tables(folder)
    for name, spec in TABLES.items():
        got = [
            [_plain(record[f"{name}/{c.name}"]) for c in spec.columns]
            for record in dataset.records(record_set=name)
        ]
        want = _rows_of(tables[name])
        for row in got:  # mlcroissant reads a timestamp in UTC; Polars gives it with its zone
            for i, value in enumerate(row):
                if isinstance(value, dt.datetime) and value.tzinfo is not None:
                    row[i] = value.astimezone(dt.UTC)
        assert got == want, name


def test_croissant_lists_every_file_with_its_hash_and_each_source_s_rights(
    releases: dict[str, Path],
) -> None:
    folder = releases["parted"]
    body = json.loads((folder / "croissant.json").read_bytes())
    assert body["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert body["license"] == ["https://spdx.org/licenses/CC-BY-4.0.html"]
    assert body["publisher"] == {"@type": "sc:Organization", "name": "claimtrack maintainers"}
    assert "url" not in body  # no base_url in dataset.yaml: none is made up
    hashes = _hashes(folder)
    files = [d for d in body["distribution"] if d["@type"] == "cr:FileObject"]
    assert files and all(hashes[d["contentUrl"]] == d["sha256"] for d in files)
    parts = {p for info in _manifest(folder)["tables"].values() for p in info["parts"]}
    assert parts <= {d["contentUrl"] for d in files}
    [text] = [d for d in files if d["contentUrl"].startswith("seeds/")]  # full_text: it ships
    assert "Redistribution: `full_text`" in text["usageInfo"]["description"]
    assert len(body["usageInfo"]) == 1
    claims = next(r for r in body["recordSet"] if r["@id"] == "claims")
    assert claims["key"] == [{"@id": "claims/claim_id"}]
    evidence = next(r for r in body["recordSet"] if r["@id"] == "evidence")
    seed = next(f for f in evidence["field"] if f["name"] == "seed_id")
    assert seed["references"] == {"field": {"@id": "sources/seed_id"}}
    assert body["prov:wasDerivedFrom"][0]["identifier"] == "000_41d59578b16f00ef"


# ---------------------------------------------------------------- DCAT


def test_dcat_records_parse_and_match_the_manifest(releases: dict[str, Path]) -> None:
    folder = releases["parted"]
    graph = rdflib.Graph()
    graph.parse(folder / "dcat.jsonld", format="json-ld")
    found = _select(
        graph,
        """
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX dct: <http://purl.org/dc/terms/>
            PREFIX spdx: <http://spdx.org/rdf/terms#>
            SELECT ?version ?url ?sum ?size WHERE {
              ?catalog a dcat:Catalog ; dcat:dataset ?dataset .
              ?dataset a dcat:Dataset ; dcat:version ?version ; dcat:distribution ?file .
              ?file dcat:downloadURL ?url ; dcat:byteSize ?size ;
                    spdx:checksum/spdx:checksumValue ?sum .
            }""",
    )
    base = (folder / "dcat.jsonld").resolve().parent.as_uri() + "/"
    listed = {f["path"]: f for f in _manifest(folder)["files"]}
    assert {str(v) for v, _, _, _ in found} == {VERSION}
    assert len(found) == sum(1 for p in listed if p.endswith((".parquet", ".csv", ".jsonl")))
    for _, url, checksum, size in found:
        entry = listed[str(url).removeprefix(base)]
        assert (str(checksum), int(size)) == (entry["sha256"], entry["bytes"])
    languages = {
        str(o) for o in graph.objects(None, rdflib.URIRef("http://purl.org/dc/terms/language"))
    }
    assert languages == {"http://id.loc.gov/vocabulary/iso639-1/en",
                         "http://id.loc.gov/vocabulary/iso639-1/fr"}  # fmt: skip


# ---------------------------------------------------------------- CITATION.cff and the card


def _cffconvert() -> str:
    found = os.environ.get("CLAIMTRACK_CFFCONVERT") or shutil.which("cffconvert")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("cffconvert is missing: .ci/run installs it in .venv-cff")
    pytest.skip("cffconvert is not installed (it pins jsonschema 3: give it its own venv)")


def test_the_citation_file_is_valid_and_credits_only_the_publisher(
    releases: dict[str, Path],
) -> None:
    folder = releases["whole"]
    done = subprocess.run(
        [_cffconvert(), "--validate", "-i", str(folder / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (folder / "CITATION.cff").read_text("utf-8")
    assert "- name: claimtrack maintainers" in text and "license: CC-BY-4.0" in text
    assert f"version: {VERSION}" in text and f"date-released: '{DATE}'" in text


def test_a_dataset_naming_no_publisher_gets_no_citation_file(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = tmp_path / "data"
    for name in ("claims", "seeds", "schemas"):
        shutil.copytree(REPO / name, root / name)
    publishable(root)  # a name and a licence, no publisher
    run_cli("release", "--root", root, "--version", VERSION, "--no-changelog")
    folder = root / "dataset" / VERSION
    assert not (folder / "CITATION.cff").exists()
    assert "publisher" not in json.loads((folder / "croissant.json").read_bytes())
    card = (folder / "README.md").read_text("utf-8")
    assert "author =" not in card  # the BibTeX entry names no one
    run_cli("verify", folder)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("kind", ["whole", "parted"])
def test_hugging_face_datasets_reads_the_folder_by_its_card(
    releases: dict[str, Path], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    folder = releases[kind]
    card = (folder / "README.md").read_text("utf-8")
    front = card.split("---\n")[1]
    assert "license: cc-by-4.0" in front and "- config_name: claims\n" in front
    tables = claimtrack.load_tables(folder)
    for name in ("claims", "evidence", "sources"):
        loaded = datasets.load_dataset(str(folder), name, cache_dir=str(tmp_path / "cache"))
        assert loaded["train"].num_rows == tables[name].height, name
        assert loaded["train"].column_names == tables[name].columns
    files = sorted(str(p) for p in folder.glob("claims*.parquet")) or sorted(
        str(p) for p in (folder / "claims").glob("*.parquet")
    )
    plain = datasets.load_dataset("parquet", data_files=files, cache_dir=str(tmp_path / "c2"))
    assert plain["train"]["claim_id"] == tables["claims"]["claim_id"].to_list()


# ---------------------------------------------------------------- PROV


def _query_from_docs() -> str:
    page = (REPO / "docs" / "publishing.md").read_text("utf-8")
    [query] = re.findall(r"```sparql\n(.*?)```", page, flags=re.DOTALL)
    return str(query)


def _select(graph: rdflib.Graph, query: str) -> list[list[str]]:
    """A SELECT query's rows as text ("" for an unbound value)."""
    rows = []
    for row in graph.query(query):
        assert isinstance(row, ResultRow)
        rows.append([str(v) if v is not None else "" for v in row])
    return rows


def test_prov_export_answers_who_asserted_and_who_relayed(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    graphs = []
    for fmt, rdf in (("prov", "json-ld"), ("prov-turtle", "turtle")):
        out = tmp_path / f"provenance.{fmt}"
        run_cli("export", fmt, "--root", dataset, "-o", out)
        graph = rdflib.Graph()
        graph.parse(out, format=rdf)
        graphs.append(graph)
    assert isomorphic(*graphs)
    rows = _select(graphs[1], _query_from_docs())
    chain = [(r[1].rsplit("#", 1)[1], r[2]) for r in rows]
    assert chain[0] == ("asserter", "Financial Times")
    assert chain[-1][0] == "relay" and chain[-1][1].startswith("Archived French news article")
    # the article's rights allow none of its words: no quote text, no source wording
    quoted = list(graphs[1].objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#value")))
    assert quoted == [] and all(r[3] == "" for r in rows)


def test_prov_export_carries_the_quotes_a_source_allows(dataset: Path, run_cli: RunCli) -> None:
    redistribute(dataset, "quotes_only")
    text = run_cli("export", "prov-turtle", "--root", dataset).stdout
    graph = rdflib.Graph().parse(data=text, format="turtle")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    ct = rdflib.Namespace("urn:claimtrack:vocab#")
    quotes = set(graph.subjects(rdflib.RDF.type, ct.Quote))
    assert quotes and all(graph.value(q, prov.value) is not None for q in quotes)
    assert all(graph.value(q, prov.wasQuotedFrom) is not None for q in quotes)
    decisions = set(graph.subjects(rdflib.RDF.type, ct.StatusDecision))
    assert len(decisions) == len(list((dataset / "claims").glob("*.yaml")))
    publisher = {str(graph.value(graph.value(d, prov.wasAssociatedWith), rdflib.RDFS.label))
                 for d in decisions}  # fmt: skip
    assert publisher == {"claimtrack maintainers"}  # the dataset's own decisions


@pytest.mark.parametrize(
    "folder", sorted((REPO / "dataset").glob("*/datapackage.json")), ids=lambda p: p.parent.name
)
def test_frictionless_validates_every_published_release(folder: Path) -> None:
    from frictionless import validate  # noqa: PLC0415 - slow import

    report = validate(str(folder))
    assert report.valid, report.flatten(["title", "message"])[:5]


def test_prov_turtle_parses_whatever_a_source_s_url_holds(dataset: Path, run_cli: RunCli) -> None:
    meta = next((dataset / "seeds").glob("*.yaml"))
    text = meta.read_text("utf-8").replace("url: null", "url: https://ex.org/a|b{c}>d")
    meta.write_text(text, "utf-8")
    out = run_cli("export", "prov-turtle", "--root", dataset).stdout
    graph = rdflib.Graph().parse(data=out, format="turtle")
    located = {
        str(o) for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#atLocation"))
    }
    assert "https://ex.org/a|b{c}>d" in located  # kept whole, as a typed literal
