"""Following claims across sources: the walkthrough of docs/tracking.md as written, `match`
(values, languages, index, formats), `claim appear`, `claim same-as`, and `watch` over a feed
served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from polars.testing import assert_frame_equal

import claimtrack
from claimtrack.tables.kept import TableStore
from claimtrack.track.index import ClaimIndex
from claimtrack.track.values import Money, values_of

from ..conftest import REPO, TESTS, RunCli, http_server

DATA = TESTS / "data" / "tracking"
TRAM = "tram-extension-cost-eur-300m-to-450m"
FACTCHECK = "factcheck-15f317af5efc6f4d"
VALUE = "contract-value-gbp-500m-to-1bn-over-ten-years"


def _commands() -> list[list[str]]:
    text = (REPO / "docs" / "tracking.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]


def _claim(root: Path, claim_id: str) -> dict[str, Any]:
    path = next((root / "claims").rglob(f"{claim_id}.yaml"))
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


@pytest.fixture
def walked(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every command of docs/tracking.md in a folder holding its files; the dataset."""
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    outputs: dict[str, list[str]] = {}
    for words in _commands():
        if words[0] == "cd":
            os.chdir(words[1])
            continue
        assert words[0] == "claimtrack", words
        before = _snapshot(Path.cwd())
        result = run_cli(*words[1:])
        outputs.setdefault(" ".join(words[1:3]), []).append(result.stdout + result.stderr)
        if words[1] == "match":
            assert _snapshot(Path.cwd()) == before, "match wrote to the dataset"
    (Path.cwd() / "outputs.json").write_text(json.dumps(outputs), "utf-8")
    return Path.cwd()


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "outputs.json" not in p.name
    }


def _outputs(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = json.loads((root / "outputs.json").read_text("utf-8"))
    return found


def test_the_walkthrough_runs_as_written(walked: Path) -> None:
    outputs = _outputs(walked)
    # match proposed the French article for the English claim, likely, and said why
    proposal = outputs["match --seed"][0]
    assert re.search(rf"\d\.\d\d likely {TRAM}", proposal)
    assert "EUR 300000000–450000000" in proposal and "across languages" in proposal
    # the appearance: a quote from the new source and a relay link, no status change
    tram = _claim(walked, TRAM)
    assert [q["seed"] for q in tram["evidence"]] == [
        "riverside-gazette-2024-03-01",
        "courrier-du-fleuve-2024-03-03",
    ]
    relay = tram["attribution"][-1]
    assert relay == {
        "role": "relay",
        "name": "Le Courrier du Fleuve",
        "type": "news_outlet",
        "seed": "courrier-du-fleuve-2024-03-03",
        "as_described": "D'après le maire",
    }
    assert tram["status"] == "reported" and len(tram["history"]) == 1
    assert tram["same_as"] == [FACTCHECK]


def test_two_raters_are_two_reviews_not_a_status_change(walked: Path) -> None:
    imported = _claim(walked, FACTCHECK)
    reviews = imported["reviews"]
    assert [(r["rater"], r["label"], r.get("language"), r["status"]) for r in reviews] == [
        ("Example Checkers", "Missing context", "en", "misleading"),
        ("Vérif Exemple", "Trompeur", "fr", "misleading"),
    ]
    assert len(imported["history"]) == 1
    assert imported["attribution"][0]["type"] == "unknown"
    assert imported["same_as"] == [TRAM]
    first, again = _outputs(walked)["import factcheck-api"]
    assert "nextPageToken" in first and "more results exist" in first
    assert "0 added, 0 updated, 1 unchanged" in again


def test_watch_archives_each_item_once_and_queues_it(walked: Path) -> None:
    queue = json.loads((walked / "review-queue" / "queue.json").read_text("utf-8"))
    assert queue["archived"] == []  # the second run: nothing new
    assert queue["seen_before"] == 1
    seeds = sorted(p.name for p in (walked / "seeds").glob("weekly-round-up*.yaml"))
    assert len(seeds) == 1
    first, second = _outputs(walked)["watch ../inbox"]
    assert "1 item(s) to review" in first and "2 likely" in first
    assert "0 item(s) to review, 1 seen before" in second


def test_the_site_shows_appearances_first_first(walked: Path, run_cli: RunCli) -> None:
    from ..conftest import publishable  # noqa: PLC0415 - only this test releases

    publishable(walked)
    run_cli("release", "--version", "1.0.0")
    run_cli("site", "--output", "site")
    page = (walked / "site" / "claims" / f"{TRAM}.html").read_text("utf-8")
    section = page[page.index('id="h-appearances"') : page.index('id="h-history"')]
    gazette, courrier = section.index("Riverside Gazette"), section.index("Le Courrier du Fleuve")
    assert gazette < courrier  # 1 March before 3 March
    assert "D’après le maire" in section or "D&#39;après le maire" in section


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a contract worth £500m to £1bn", "en"),
        ("half a billion to one billion pounds", "en"),
        ("entre 500 millions et un milliard de livres", "fr"),
        ("GBP 500,000,000–1,000,000,000", "en"),
        ("between five hundred million and one billion pounds", "en"),
        ("de 500 millions à 1 milliard de livres sterling", "fr"),
        ("£0.5bn-£1bn", "en"),
    ],
)
def test_one_money_range_however_written(text: str, lang: str) -> None:
    found = values_of(text, lang).money
    assert Money("GBP", frozenset({Decimal(500_000_000), Decimal(1_000_000_000)})) in found


def test_durations_and_scales_carry_across_a_range() -> None:
    assert values_of("over the next decade", "en").durations == {"P10Y"}
    assert values_of("sur les dix ans à venir", "fr").durations == {"P10Y"}
    (money,) = values_of("entre 300 et 450 millions d'euros", "fr").money
    assert money == Money("EUR", frozenset({Decimal(300_000_000), Decimal(450_000_000)}))


# ---------------------------------------------------------------- match


def _match(run_cli: RunCli, root: Path, text: str, tmp_path: Path, *options: str) -> dict[str, Any]:
    source = tmp_path / "source.txt"
    source.write_text(text, "utf-8")
    result = run_cli("match", "--root", root, source, "--format", "json", *options)
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _best(found: dict[str, Any], claim_id: str) -> dict[str, Any] | None:
    return next((m for m in found["matches"] if m["claim"] == claim_id), None)


def test_match_json_is_best_first_with_offsets_signals_and_a_command(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    text = (
        "Cloud deal for spies\n\n"
        "According to the Financial Times, the contract with Amazon is worth between £500m and "
        "£1bn over a decade. Cycle lanes open next week."
    )
    found = _match(run_cli, dataset, text, tmp_path)
    scores = [m["score"] for m in found["matches"]]
    assert scores == sorted(scores, reverse=True)
    best = found["matches"][0]
    assert best["claim"] == VALUE and best["likely"] is True and 0.5 <= best["score"] <= 1
    start, end = best["passage"]["start"], best["passage"]["end"]
    assert text[start:end] == best["passage"]["text"]
    assert best["passage"]["text"].startswith("According to the Financial Times")
    assert best["signals"]["values"] == ["GBP 500000000–1000000000", "P10Y"]
    assert best["command"].startswith(f"claimtrack claim appear {VALUE} --file ")
    assert found["likely_threshold"] == 0.5


def test_the_same_figures_in_another_currency_or_about_another_subject_are_not_likely(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    euros = _match(
        run_cli, dataset, "Amazon's contract is worth between €500m and €1bn over ten years.",
        tmp_path,
    )  # fmt: skip
    other = _best(euros, VALUE)
    assert other is not None and not other["likely"]
    assert other["signals"]["conflict"] == "currency"
    nhs = _match(
        run_cli, dataset,
        "NHS England signed a data platform contract worth £500m to £1bn over ten years with "
        "Palantir.",
        tmp_path,
    )  # fmt: skip
    assert all(not m["likely"] for m in nhs["matches"])


def test_a_french_passage_matches_the_claim_it_translates(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    found = _match(
        run_cli, dataset,
        "Selon le quotidien britannique, l'accord pourrait atteindre entre un demi-milliard et "
        "un milliard de livres sterling en dix ans.",
        tmp_path,
    )  # fmt: skip
    assert found["matches"][0]["claim"] == VALUE and found["matches"][0]["likely"]


def test_the_index_updates_only_the_claims_that_changed(dataset: Path, tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "index")
    first = index.update(claimtrack.load_tables(dataset))
    assert first.built and first.added == first.total == 13
    assert index.update(claimtrack.load_tables(dataset)).added == 0
    path = dataset / "claims" / f"{VALUE}.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "statement: The contract is estimated", "statement: The deal is estimated"
        ),
        "utf-8",
    )
    changed = index.update(claimtrack.load_tables(dataset))
    assert (changed.built, changed.added, changed.removed) == (False, 1, 1)
    searcher = index.index().searcher()
    assert searcher.num_docs == 13


def test_match_text_and_markdown_escape_what_the_source_says(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(
        "Amazon will have no access to the data \x1b]0;owned\x07 [click](http://x.test) "
        "held on the cloud platform, sources said.",
        "utf-8",
    )
    text = run_cli("match", "--root", dataset, source).stdout
    assert "\x1b" not in text and "\x07" not in text and "\\x1b" in text
    markdown = run_cli("match", "--root", dataset, source, "--format", "markdown").stdout
    quoted = [line for line in markdown.splitlines() if line.startswith("  > ")]
    assert quoted and all("[click](http" not in line for line in quoted)
    assert all("\\[click\\]" in line for line in quoted)


def test_match_refuses_nothing_to_match_and_an_unknown_seed(dataset: Path, run_cli: RunCli) -> None:
    assert "nothing to match" in run_cli("match", "--root", dataset, code=2).stderr
    assert (
        "no archived seed"
        in run_cli("match", "--root", dataset, "--seed", "no-such-seed", code=2).stderr
    )


def test_match_dataset_proposes_duplicates_and_same_as_joins_them(
    dataset: Path, run_cli: RunCli
) -> None:
    source = dataset / "claims" / f"{VALUE}.yaml"
    copy = yaml.safe_load(source.read_text("utf-8"))
    copy["id"] = "deal-worth-half-a-billion-to-a-billion"
    copy["statement"] = "The deal is estimated to be worth between £500m and £1bn over ten years."
    (dataset / "claims" / f"{copy['id']}.yaml").write_text(
        yaml.safe_dump(copy, allow_unicode=True, sort_keys=False), "utf-8"
    )
    found = json.loads(run_cli("match", "--root", dataset, "--dataset", "--format", "json").stdout)
    pairs = [{m["claim"], m["source"]} for m in found["matches"]]
    assert {VALUE, copy["id"]} in pairs
    pair = next(m for m in found["matches"] if {m["claim"], m["source"]} == {VALUE, copy["id"]})
    assert pair["command"] == f"claimtrack claim same-as {VALUE} {copy['id']} --root {dataset}"
    run_cli("claim", "same-as", "--root", dataset, copy["id"], VALUE)
    assert _claim(dataset, VALUE)["same_as"] == [copy["id"]]
    assert _claim(dataset, copy["id"])["same_as"] == [VALUE]
    run_cli("validate", "--root", dataset)
    again = json.loads(run_cli("match", "--root", dataset, "--dataset", "--format", "json").stdout)
    assert {VALUE, copy["id"]} not in [{m["claim"], m["source"]} for m in again["matches"]]
    refused = run_cli("claim", "same-as", "--root", dataset, VALUE, VALUE, code=2)
    assert "never `same_as` itself" in refused.stderr


def test_appear_refuses_a_passage_quoted_already_and_wording_not_in_the_source(
    dataset: Path, run_cli: RunCli
) -> None:
    seed = "000_41d59578b16f00ef"
    quoted = run_cli(
        "claim", "appear", VALUE, "--root", dataset, "--seed", seed,
        "--quote", "Un contrat estimé entre 500 millions de livres et un milliard de livres",
        code=2,
    )  # fmt: skip
    assert "quotes this passage already" in quoted.stderr
    before = (dataset / "claims" / f"{VALUE}.yaml").read_bytes()
    wording = run_cli(
        "claim", "appear", VALUE, "--root", dataset, "--seed", seed,
        "--quote", "Le Financial Times a révélé dans un article",
        "--as-described", "selon Reuters",
        code=2,
    )  # fmt: skip
    assert "--as-described is not in seed" in wording.stderr
    assert (dataset / "claims" / f"{VALUE}.yaml").read_bytes() == before


# ---------------------------------------------------------------- watch


def _feed(base: str, links: list[str]) -> str:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Wed, 27 Oct 2021 10:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>'
        f"<link>{base}</link><language>en</language>{items}</channel></rss>"
    )


def test_watch_reads_a_feed_from_a_local_server_and_never_a_file_url(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "spies.html").write_text(
        "<!doctype html><html lang='en'><head><title>Spy agencies pick Amazon</title></head>"
        "<body><article><h1>Spy agencies pick Amazon</h1><p>Britain's spy agencies MI5, MI6 "
        "and GCHQ will store top-secret files with Amazon Web Services, which could be worth "
        "between £500m and £1bn over a decade, the Financial Times reported.</p></article>"
        "</body></html>",
        "utf-8",
    )
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the dataset", "utf-8")
    with http_server(site) as base:
        (site / "feed.xml").write_text(_feed(base, [f"{base}spies.html", secret.as_uri()]), "utf-8")
        queue = tmp_path / "queue"
        result = run_cli("watch", "--root", dataset, f"{base}feed.xml", "--queue", queue)
        assert "1 item(s) to review" in result.stderr
        again = run_cli("watch", "--root", dataset, f"{base}feed.xml", "--queue", queue)
    assert "0 item(s) to review, 1 seen before" in again.stderr
    first = json.loads((queue / "queue.json").read_text("utf-8"))
    assert first["skipped"] and "http(s)" in first["skipped"][0]["why"]
    meta = [yaml.safe_load(p.read_text("utf-8")) for p in (dataset / "seeds").glob("item-0-*.yaml")]
    assert [(m["url"], m["published"], m["title"]) for m in meta] == [
        (f"{base}spies.html", "2021-10-27", "Item 0")
    ]
    assert "not for the dataset" not in "".join(
        p.read_text("utf-8", "replace") for p in (dataset / "seeds").iterdir()
    )
    run_cli("validate", "--root", dataset, code=None)


def test_watch_queue_lists_likely_appearances(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "wire.txt").write_text(
        "Amazon Web Services has signed a contract with MI5, MI6 and GCHQ to host classified "
        "documents, the Financial Times reported. The deal is estimated at £500m to £1bn over "
        "ten years.\n",
        "utf-8",
    )
    queue = tmp_path / "queue"
    run_cli("watch", "--root", dataset, inbox, "--queue", queue, "--language", "en")
    data = json.loads((queue / "queue.json").read_text("utf-8"))
    assert {VALUE, "aws-contract-uk-intelligence-agencies"} <= {
        m["claim"] for m in data["appearances"]
    }
    markdown = (queue / "queue.md").read_text("utf-8")
    assert "claimtrack claim appear" in markdown
    assert run_cli("watch", "--root", dataset, tmp_path / "missing", code=2)


# ---------------------------------------------------------------- the meaning signal


def _tiny_model(folder: Path) -> Path:
    """A model2vec model built here: words of one meaning (in English and French) share a
    vector, so a paraphrase with no word in common reads as close in meaning."""
    np = pytest.importorskip("numpy")
    model2vec = pytest.importorskip("model2vec")
    from tokenizers import Tokenizer  # noqa: PLC0415 - model2vec's own dependency
    from tokenizers.models import WordLevel  # noqa: PLC0415
    from tokenizers.normalizers import Lowercase  # noqa: PLC0415
    from tokenizers.pre_tokenizers import Whitespace  # noqa: PLC0415

    meanings = {
        "sensitive": ["sensitive", "classified", "confidential", "secret", "sensibles"],
        "data": ["data", "information", "files", "material", "données"],
        "secure": ["secure", "protected", "guarded", "sécurisée", "safe"],
        "cloud": ["cloud", "platform", "system", "computing", "plateforme"],
        "stored": ["stored", "kept", "held", "sit", "stockées"],
    }
    words = ["[UNK]", "[PAD]", *[w for ws in meanings.values() for w in ws]]
    tokenizer = Tokenizer(WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.normalizer = Lowercase()
    rng = np.random.default_rng(7)
    base = {m: rng.normal(size=16) for m in meanings}
    vectors = np.zeros((len(words), 16), dtype=np.float32)
    for i, word in enumerate(words):
        meaning = next((m for m, ws in meanings.items() if word in ws), None)
        if meaning:
            vectors[i] = base[meaning]
    model2vec.StaticModel(vectors, tokenizer, normalize=True).save_pretrained(str(folder))
    return folder


def test_a_local_embedding_model_adds_the_meaning_signal(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    model = _tiny_model(tmp_path / "model")
    text = "Confidential files will be kept safe on a guarded computing system."
    plain = _match(run_cli, dataset, text, tmp_path)
    meant = _match(run_cli, dataset, text, tmp_path, "--embeddings", str(model))
    claim = "agency-data-on-highly-secure-cloud-platform"
    with_meaning = _best(meant, claim)
    assert with_meaning is not None and with_meaning["signals"]["meaning"] > 0.5
    without = _best(plain, claim)
    assert without is None or with_meaning["score"] > without["score"]
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = run_cli("match", "--root", dataset, "--seed", "000_41d59578b16f00ef",
                      "--embeddings", empty, code=2)  # fmt: skip
    assert "no sentence-embedding model" in refused.stderr


def test_a_feed_file_cannot_send_watch_to_a_local_address(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text("<html><body><p>Internal page.</p></body></html>", "utf-8")
    with http_server(site) as base:
        feed = tmp_path / "feed.xml"  # a file: its items must be on public addresses
        feed.write_text(_feed("https://example.org/", [f"{base}page.html"]), "utf-8")
        queue = tmp_path / "queue"
        run_cli("watch", "--root", dataset, feed, "--queue", queue)
    data = json.loads((queue / "queue.json").read_text("utf-8"))
    assert data["archived"] == []
    assert "private or local network" in data["skipped"][0]["why"]


def test_a_name_that_resolves_again_to_a_local_address_is_not_fetched(
    dataset: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: an item's host resolves to a public address when its URL is checked and
    to this machine a moment later. The connection goes only where the check looked."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text("<html><body><p>Internal page.</p></body></html>", "utf-8")
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # public once, then this machine

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":
            host = next(answers, "127.0.0.1")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with http_server(site) as base:
        port = urllib.parse.urlsplit(base).port
        feed = tmp_path / "feed.xml"
        feed.write_text(_feed("https://example.org/", [f"http://rebind.example:{port}/page.html"]))
        queue = tmp_path / "queue"
        run_cli("watch", "--root", dataset, feed, "--queue", queue)
    data = json.loads((queue / "queue.json").read_text("utf-8"))
    assert data["archived"] == []
    assert "resolves to 127.0.0.1, on a private or local network" in data["skipped"][0]["why"]


def test_match_never_loads_the_tables_whole(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimtrack.track import run  # noqa: PLC0415 - the module whose loading is watched
    from claimtrack.validate.cache import default_dir  # noqa: PLC0415

    source = tmp_path / "source.txt"
    source.write_text("The contract is worth between £500m and £1bn over ten years.", "utf-8")
    first = run.match(dataset, [source], [], cache_dir=default_dir())
    assert first.index is not None and first.index.built

    def loaded(*_: object, **__: object) -> None:
        raise AssertionError("the tables were loaded")

    monkeypatch.setattr(run, "read", loaded)
    again = run.match(dataset, [source], [], cache_dir=default_dir())
    assert [m.claim for m in again.matches] == [m.claim for m in first.matches]
    assert again.claims == 13
    path = dataset / "claims" / f"{VALUE}.yaml"
    path.write_text(path.read_text("utf-8").replace("The contract is", "The deal is"), "utf-8")
    edited = run.match(dataset, [source], [], cache_dir=default_dir())  # patched on disk
    assert edited.index is not None
    assert (edited.index.built, edited.index.added, edited.index.removed) == (False, 1, 1)
    assert {m.statement for m in edited.matches if m.claim == VALUE} == {
        _claim(dataset, VALUE)["statement"]
    }
    # the tables patched on disk are those a cold run builds
    store = TableStore(default_dir(), dataset)
    state = store.state()
    stored = store.read(state) if state is not None else None
    assert stored is not None
    cold = claimtrack.load_tables(dataset, cache=False)
    for name, frame in cold.items():
        assert_frame_equal(stored[name], frame, check_column_order=True)


def test_export_claimreview_writes_every_raters_review(walked: Path, run_cli: RunCli) -> None:
    text = run_cli("export", "claimreview").stdout
    reviews = [r for r in json.loads(text)["@graph"] if r.get("@type") == "ClaimReview"]
    by_rater = {r["author"]["name"]: r["reviewRating"]["alternateName"] for r in reviews}
    assert by_rater == {"Example Checkers": "Missing context", "Vérif Exemple": "Trompeur"}
    # the claimant's kind is unknown: no schema.org type is guessed for it
    assert {json.dumps(r["itemReviewed"]["author"]) for r in reviews} == {'{"name": "Le maire"}'}


def test_a_one_way_same_as_link_is_a_finding(dataset: Path, run_cli: RunCli) -> None:
    path = dataset / "claims" / "aws-is-a-us-company.yaml"
    text = re.sub(r"schema_version: '1\.\d'", "schema_version: '1.4'", path.read_text("utf-8"))
    path.write_text(
        text.replace("created:", "same_as:\n- agency-data-held-only-in-uk\ncreated:", 1), "utf-8"
    )
    for _ in range(2):  # cold, then warm from the kept run
        result = run_cli("validate", "--root", dataset, code=1)
        assert "[claim.same-as-one-way]" in result.stdout
        assert "claimtrack claim same-as aws-is-a-us-company agency-data-held-only-in-uk" in (
            result.stdout
        )
    target = dataset / "claims" / "agency-data-held-only-in-uk.yaml"
    kept = target.read_bytes()
    target.unlink()
    gone = run_cli("validate", "--root", dataset, code=1)  # warm: the target was removed
    assert "[claim.same-as-unknown]" in gone.stdout
    target.write_bytes(kept)
    run_cli("claim", "same-as", "--root", dataset, "aws-is-a-us-company",
            "agency-data-held-only-in-uk")  # fmt: skip
    run_cli("validate", "--root", dataset)


def test_a_link_to_an_invalid_claim_is_not_called_one_way(dataset: Path, run_cli: RunCli) -> None:
    """Whether an invalid claim links back is not known: only its own errors are reported."""
    path = dataset / "claims" / "aws-is-a-us-company.yaml"
    text = re.sub(r"schema_version: '1\.\d'", "schema_version: '1.4'", path.read_text("utf-8"))
    path.write_text(
        text.replace("created:", "same_as:\n- agency-data-held-only-in-uk\ncreated:", 1), "utf-8"
    )
    target = dataset / "claims" / "agency-data-held-only-in-uk.yaml"
    target.write_text(target.read_text("utf-8") + "not_a_field: 1\n", "utf-8")
    for _ in range(2):  # cold, then warm
        result = run_cli("validate", "--root", dataset, code=1)
        assert "agency-data-held-only-in-uk.yaml" in result.stdout
        assert "[claim.same-as-one-way]" not in result.stdout
        assert "[claim.same-as-unknown]" not in result.stdout


def test_watch_queues_next_time_what_a_failed_run_archived(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "wire.txt").write_text(
        "Amazon Web Services will host classified documents for MI5, MI6 and GCHQ, the "
        "Financial Times reported.\n",
        "utf-8",
    )
    broken = dataset / "claims" / "aws-is-a-us-company.yaml"
    good = broken.read_bytes()
    broken.write_text(broken.read_text("utf-8").replace("kind: ", "kind: bogus-", 1), "utf-8")
    queue = tmp_path / "queue"
    run_cli("watch", "--root", dataset, inbox, "--queue", queue, code=1)  # invalid: no queue
    assert not (queue / "queue.json").exists()
    broken.write_bytes(good)
    result = run_cli("watch", "--root", dataset, inbox, "--queue", queue)
    assert "1 item(s) to review, 1 seen before" in result.stderr
    data = json.loads((queue / "queue.json").read_text("utf-8"))
    assert [i["origin"] for i in data["archived"]] == [str(inbox / "wire.txt")]
    assert data["archived"][0]["language"] == "und"  # not given, not declared: not guessed
    again = run_cli("watch", "--root", dataset, inbox, "--queue", queue)
    assert "0 item(s) to review" in again.stderr


def test_watch_skips_bad_entries_and_archives_one_page_once(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text(
        "<html lang='en'><body><p>AWS will host files for MI5, the Financial Times "
        "reported.</p></body></html>",
        "utf-8",
    )
    with http_server(site) as base:
        items = [f"{base}a.html", f"{base}a.html?again", "http://[::1/x", "http://1.2.3.4:abc/x"]
        feed = _feed(base, items).replace(
            "<pubDate>Wed, 27 Oct 2021", "<pubDate>Mon, 01 Jan 0001", 1
        )
        (site / "feed.xml").write_text(feed, "utf-8")
        queue = tmp_path / "queue"
        run_cli("watch", "--root", dataset, f"{base}feed.xml", "--queue", queue)
    data = json.loads((queue / "queue.json").read_text("utf-8"))
    assert len(data["archived"]) == 1 and data["seen_before"] == 1  # the same bytes: once
    assert len(data["skipped"]) == 2
    meta = yaml.safe_load((dataset / "seeds" / f"{data['archived'][0]['seed']}.yaml").read_text())
    assert meta["published"] is None  # the year 1 is no date a page was published


def test_appear_from_a_file_archives_it_and_records_the_quote(
    dataset: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "wire.txt"
    source.write_text(
        "Spy deal\n\nThe contract could be worth between £500m and £1bn over the next decade, "
        "according to the FT.\n",
        "utf-8",
    )
    quote = "The contract could be worth between £500m and £1bn over the next decade"
    result = run_cli("claim", "appear", VALUE, "--root", dataset, "--file", source,
                     "--language", "en", "--quote", quote, "--as-described", "the FT")  # fmt: skip
    seed = re.search(r"source: seed (\S+)", result.stderr)
    assert seed is not None
    record = _claim(dataset, VALUE)
    assert record["evidence"][-1]["seed"] == seed[1]
    assert record["evidence"][-1]["text"] == quote
    assert record["attribution"][-1]["as_described"] == "the FT"
    run_cli("validate", "--root", dataset, code=None)


def test_a_rater_that_rates_again_is_a_new_review_and_is_said(
    walked: Path, run_cli: RunCli
) -> None:
    data = json.loads((walked.parent / "factcheck.json").read_text("utf-8"))
    data["claims"][0]["claimReview"][0]["textualRating"] = "Faux"
    changed = walked.parent / "factcheck-updated.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = run_cli("import", "factcheck-api", changed)
    assert "Vérif Exemple now rates it `Faux` (was `Trompeur`)" in result.stderr + result.stdout
    record = _claim(walked, FACTCHECK)
    labels = [(r["rater"], r["label"]) for r in record["reviews"]]
    assert ("Vérif Exemple", "Trompeur") in labels and ("Vérif Exemple", "Faux") in labels
    assert record["status"] == "misleading" and len(record["history"]) == 1
