"""Editing commands: the walkthrough of docs/editing.md as written, and each refusal."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
import yaml

from claimtrack.cli.app import cli
from claimtrack.edit.claims import Citation, QuoteSource, StatusChange, change_status
from claimtrack.edit.textedit import EditableFile
from claimtrack.exc import ConcurrentEdit
from claimtrack.store.layout import Dataset

from ..conftest import REPO, TESTS, RunCli, pdf_bytes

SOURCES = TESTS / "data" / "editing"
CLAIM = "bridge-repairs-cost-2m"


def _commands() -> list[list[str]]:
    text = (REPO / "docs" / "editing.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]


@pytest.fixture
def walked(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every command of docs/editing.md in a fresh folder; return the dataset."""
    for name in ("article.html", "audit.txt"):
        shutil.copy(SOURCES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for words in _commands():
        if words[0] == "cd":
            os.chdir(words[1])
            continue
        assert words[0] == "claimtrack", words
        if words[1:3] == ["release", "--version"]:
            _write_policies(Path.cwd(), run_cli)
        if words[1:] == ["fix", "--check"]:
            run_cli(*words[1:], code=0)  # nothing to repair yet
            _break_offsets(Path.cwd())
            run_cli(*words[1:], code=1)  # now something would change
            continue
        run_cli(*words[1:])
    return Path.cwd()


def _write_policies(root: Path, run_cli: RunCli) -> None:
    """What the walkthrough asks the editor to write by hand, once release has refused without
    it: the methodology and the corrections policy, in the editor's own words."""
    refused = run_cli("release", "--version", "1.0.0", code=2)
    assert "METHODOLOGY.md is still the template" in refused.stderr
    assert "CORRECTIONS.md is still the template" in refused.stderr
    assert not (root / "dataset" / "1.0.0").exists()
    (root / "METHODOLOGY.md").write_text(
        "# Methodology\n\nWe record what the city's officials say about public works.\n", "utf-8"
    )
    (root / "CORRECTIONS.md").write_text(
        "# Corrections\n\nWrite to corrections@example.org; each fix is logged.\n", "utf-8"
    )


def _break_offsets(root: Path) -> None:
    path = root / "claims" / f"{CLAIM}.yaml"
    text = path.read_text("utf-8")
    start = re.search(r"(?m)^  start: (\d+)$", text)
    assert start is not None
    path.write_text(text.replace(start.group(0), "  start: 3", 1), "utf-8")


def test_the_walkthrough_runs_as_written(walked: Path, run_cli: RunCli) -> None:
    claim = yaml.safe_load((walked / "claims" / f"{CLAIM}.yaml").read_text("utf-8"))
    assert claim["status"] == "mostly_false"
    assert [h["status"] for h in claim["history"]] == ["reported", "mostly_false"]
    assert claim["responses"][0]["response"] == "disputed_details"
    seed = yaml.safe_load((walked / "seeds" / "bridge-article.yaml").read_text("utf-8"))
    assert seed["author"] == "Sam Reporter" and seed["language"] == "en"
    assert seed["url"] == "https://news.example.org/bridge-repairs"
    assert seed["publisher"] is None  # a host name is not a declared publisher
    assert seed["redistribution"] == "quotes_only"
    text = (walked / "seeds" / "bridge-article.txt").read_text("utf-8")
    assert "cookies" not in text and "Visit my shop" not in text and "Home" not in text
    assert (walked / "dataset" / "1.0.0" / "manifest.json").is_file()
    assert not (walked / "dataset" / "1.0.0" / "seeds" / "bridge-article.txt").exists()
    assert (walked / "dataset" / "1.0.0" / "seeds" / "city-audit-2024.txt").is_file()


def test_a_status_change_adds_only_its_lines(walked: Path, run_cli: RunCli) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    text = path.read_text("utf-8").replace("kind: quantity\n", "kind: quantity  # desk note\n")
    path.write_text(text, "utf-8")
    out = run_cli(
        "claim",
        "status",
        CLAIM,
        "refuted",
        "--date",
        "2024-07-01",
        "--reason",
        "Correction.",
        "--evidence",
        "q1",
    ).stdout
    after = path.read_text("utf-8")
    assert "kind: quantity  # desk note\n" in after
    changed = [line for line in out.splitlines() if line.startswith(("+", "-"))]
    changed = [line for line in changed if not line.startswith(("+++", "---"))]
    assert changed == [
        "-status: mostly_false",
        "+status: refuted",
        "+- date: '2024-07-01'",
        "+  status: refuted",
        "+  reason: Correction.",
        "+  evidence:",
        "+  - q1",
        *[line for line in changed if line.startswith(("-updated", "+updated"))],
    ]


def test_ambiguous_and_missing_quotes_are_refused(walked: Path, run_cli: RunCli) -> None:
    args = ["claim", "add", "--seed", "bridge-article", "--statement", "S.", "--kind", "event"]
    args += ["--asserter", "X"]
    twice = run_cli(*args, "--quote", "bridge", code=2).stderr
    assert "occurs 2 times" in twice and "line 2, column 72" in twice and "--occurrence" in twice
    run_cli(*args, "--quote", "bridge", "--occurrence", "2", "--id", "second-bridge")
    missing = run_cli(*args, "--quote", "the bridge cost £5 million", code=2).stderr
    assert "does not occur" in missing and "closest passage" in missing
    taken = run_cli(*args, "--quote", "the mayor said", "--id", CLAIM.upper().lower(), code=2)
    assert "exists already" in taken.stderr


def test_refused_status_changes(walked: Path, run_cli: RunCli) -> None:
    base = ["claim", "status", CLAIM, "confirmed", "--reason", "r", "--date"]
    early = run_cli(*base, "2020-01-01", code=2).stderr
    assert "before the last status entry" in early
    future = run_cli(*base, "2999-01-01", code=2).stderr
    assert "in the future" in future
    unknown = run_cli(
        "claim",
        "status",
        "bridge-repairs",
        "confirmed",
        "--reason",
        "r",
        "--date",
        "2024-07-01",
        code=2,
    ).stderr
    assert "did you mean" in unknown and CLAIM in unknown
    run_cli(*base[:3], "nonsense", "--reason", "r", "--date", "2024-07-01", code=2)


def test_an_edit_that_would_not_validate_writes_nothing(walked: Path, run_cli: RunCli) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    before = path.read_bytes()
    result = run_cli(
        "claim",
        "respond",
        CLAIM,
        "--party",
        "P",
        "--type",
        "person",
        "--response",
        "confirmed",
        "--evidence",
        "q1",
        "--date",
        "2024-02-30",
        code=2,
    )
    assert path.read_bytes() == before, result.stderr


def test_a_concurrent_change_is_never_overwritten(walked: Path) -> None:
    dataset = Dataset.open(walked)
    path = walked / "claims" / f"{CLAIM}.yaml"
    opened = EditableFile.open(path)
    path.write_text(path.read_text("utf-8") + "# someone else's edit\n", "utf-8")
    with pytest.raises(ConcurrentEdit):
        opened.write(opened.result())
    assert path.read_text("utf-8").endswith("# someone else's edit\n")
    cite = Citation(QuoteSource("city-audit-2024", "The audit found"))
    change = StatusChange("refuted", "2024-07-02", "r", cite)
    change_status(dataset, CLAIM, change)  # a fresh read succeeds
    assert "# someone else's edit" in path.read_text("utf-8")


def test_seed_add_refuses_other_encodings_and_the_same_bytes(
    tmp_path: Path, run_cli: RunCli
) -> None:
    run_cli("init", tmp_path / "ds")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Déclaration du maire.".encode("latin-1"))
    refused = run_cli("seed", "add", latin, "--root", tmp_path / "ds", "--language", "fr", code=2)
    assert "--encoding" in refused.stderr
    run_cli(
        "seed",
        "add",
        latin,
        "--root",
        tmp_path / "ds",
        "--language",
        "fr",
        "--encoding",
        "latin-1",
        "--title",
        "Déclaration",
    )
    again = run_cli(
        "seed",
        "add",
        latin,
        "--root",
        tmp_path / "ds",
        "--language",
        "fr",
        "--encoding",
        "latin-1",
        code=1,
    )
    assert "archived already" in again.stderr


def test_seed_add_extraction_is_deterministic(tmp_path: Path, run_cli: RunCli) -> None:
    texts = []
    for name in ("a", "b"):
        run_cli("init", tmp_path / name)
        run_cli("seed", "add", SOURCES / "article.html", "--root", tmp_path / name, "--id", "s")
        texts.append((tmp_path / name / "seeds" / "s.txt").read_bytes())
    assert texts[0] == texts[1]


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in its text layer."""
    return pdf_bytes(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())


def test_seed_add_pdf_and_a_pdf_without_text(tmp_path: Path, run_cli: RunCli) -> None:
    run_cli("init", tmp_path / "ds")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_pdf("The council approved the budget."))
    run_cli("seed", "add", pdf, "--root", tmp_path / "ds", "--language", "en", "--id", "report")
    text = (tmp_path / "ds" / "seeds" / "report.txt").read_text("utf-8")
    assert "The council approved the budget." in text
    assert (tmp_path / "ds" / "seeds" / "report.orig.pdf").read_bytes() == pdf.read_bytes()
    blank = tmp_path / "scan.pdf"
    blank.write_bytes(_pdf(""))
    refused = run_cli("seed", "add", blank, "--root", tmp_path / "ds", "--language", "en", code=2)
    assert "no text layer" in refused.stderr
    run_cli("validate", "--root", tmp_path / "ds")


def test_seed_add_a_warc_record(tmp_path: Path, run_cli: RunCli) -> None:
    from io import BytesIO  # noqa: PLC0415

    from warcio.statusandheaders import StatusAndHeaders  # noqa: PLC0415
    from warcio.warcwriter import WARCWriter  # noqa: PLC0415

    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, body in (
            ("https://news.example.org/bridge-repairs", (SOURCES / "article.html").read_bytes()),
            (
                "https://news.example.org/other",
                b"<html lang='en'><body><p>Other.</p></body></html>",
            ),
        ):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-06T10:00:00Z"},
            )
            writer.write_record(record)
    run_cli("init", tmp_path / "ds")
    root = ["--root", str(tmp_path / "ds")]
    both = run_cli("seed", "add", warc, *root, code=2).stderr
    assert "--record-url" in both and "https://news.example.org/other" in both
    run_cli(
        "seed",
        "add",
        warc,
        *root,
        "--record-url",
        "https://news.example.org/bridge-repairs",
        "--id",
        "from-warc",
    )
    meta = yaml.safe_load((tmp_path / "ds" / "seeds" / "from-warc.yaml").read_text("utf-8"))
    assert meta["retrieved"] == "2024-03-06" and meta["original_media_type"] == "application/warc"
    assert "river bridge" in (tmp_path / "ds" / "seeds" / "from-warc.txt").read_text("utf-8")
    run_cli("validate", *root)


def test_fix_sets_an_id_to_its_file_name(walked: Path, run_cli: RunCli) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    path.write_text(path.read_text("utf-8").replace(f"id: {CLAIM}", "id: renamed"), "utf-8")
    out = run_cli("fix").stdout
    assert f"/id: set {CLAIM} (was renamed) [id.file-name]" in out
    run_cli("validate")


def test_every_editing_command_is_in_the_cli() -> None:
    with click.Context(cli) as ctx:
        assert {"seed", "claim", "fix"} <= set(cli.list_commands(ctx))


def test_claim_add_quotes_a_seed_with_windows_line_ends(walked: Path, run_cli: RunCli) -> None:
    (walked.parent / "memo.txt").write_bytes(
        b"City memo\r\nThe ferry carried 4,000 people a day.\r\nEnd of memo\r\n"
    )
    run_cli("seed", "add", walked.parent / "memo.txt", "--id", "memo", "--language", "en")
    run_cli(
        "claim", "add", "--seed", "memo", "--quote", "The ferry carried 4,000 people a day.",
        "--statement", "The ferry carried 4,000 people a day.", "--kind", "quantity",
        "--asserter", "City memo", "--id", "ferry-carried-4000",
    )  # fmt: skip
    run_cli("validate", code=0)
    claim = yaml.safe_load((walked / "claims" / "ferry-carried-4000.yaml").read_text("utf-8"))
    raw = (walked / "seeds" / "memo.txt").read_bytes().decode("utf-8")
    quote = claim["evidence"][0]
    assert raw[quote["start"] : quote["end"]] == "The ferry carried 4,000 people a day."


def _respond(run_cli: RunCli, code: int = 0) -> str:
    return run_cli(
        "claim", "respond", CLAIM, "--party", "The mayor", "--type", "person",
        "--response", "declined_to_comment", "--date", "2024-07-01", code=code,
    ).stderr  # fmt: skip


def test_respond_when_history_ends_the_file_without_a_line_break(
    walked: Path, run_cli: RunCli
) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data.pop("responses")
    history = data.pop("history")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    text += yaml.safe_dump({"history": history}, sort_keys=False, allow_unicode=True)
    path.write_text(text.rstrip("\n"), "utf-8")
    _respond(run_cli)
    after = path.read_text("utf-8")
    assert after.startswith(text.splitlines()[0])  # nothing inserted at the top
    assert yaml.safe_load(after)["responses"][0]["party"] == "The mayor"
    run_cli("validate", code=0)


@pytest.mark.parametrize("style", ["|-", ">-"])
def test_a_status_written_as_a_block_scalar_is_replaced(
    style: str, walked: Path, run_cli: RunCli
) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    text = path.read_text("utf-8")
    block = f"\nstatus: {style}\n  mostly_false\n"
    path.write_text(text.replace("\nstatus: mostly_false\n", block, 1), "utf-8")
    run_cli(
        "claim", "status", CLAIM, "refuted", "--date", "2024-07-01", "--reason", "Audit.",
    )  # fmt: skip
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["status"] == "refuted" and data["history"][-1]["status"] == "refuted"
    run_cli("validate", code=0)


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t.replace("\nstatus: mostly_false\n", "\n"),  # a required key missing
        lambda t: "- " + t.replace("\n", "\n  "),  # a list, not a mapping
        lambda t: re.sub(r"schema_version: '[0-9.]+'", "schema_version: 'x.y'", t),
        lambda t: t.replace("history:\n", "history:\n- just a string\n"),
        lambda t: t.replace("updated: ", "updated_at: "),
    ],
)
def test_edits_of_an_invalid_claim_file_are_refused(
    damage: object, walked: Path, run_cli: RunCli
) -> None:
    path = walked / "claims" / f"{CLAIM}.yaml"
    text = path.read_text("utf-8")
    broken = damage(text)  # type: ignore[operator]
    assert broken != text
    path.write_text(broken, "utf-8")
    status = ["claim", "status", CLAIM, "refuted", "--date", "2024-07-01", "--reason", "x"]
    for stderr in (_respond(run_cli, code=1), run_cli(*status, code=1).stderr):
        assert "an edit starts from a valid file" in stderr
    assert path.read_text("utf-8") == broken
