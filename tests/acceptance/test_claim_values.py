"""`claim add` records a claim's typed value and its original words from the command line, for
every value type of the schema; what the model refuses is refused, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import RunCli, add_text_seed

TEXT = (
    "The repairs to the old bridge cost £2 million over two years, the mayor said. "
    "The city's records will be kept only in France. Contractors have no access to them. "
    "The council called the project a success.\n"
)


@pytest.fixture
def root(tmp_path: Path, run_cli: RunCli) -> Path:
    run_cli("init", tmp_path / "ds")
    add_text_seed(run_cli, tmp_path / "ds", TEXT, "--id", "report", "--published", "2024-03-05",
                  name="report.txt")  # fmt: skip
    return tmp_path / "ds"


CASES = {
    "money": (
        "The repairs to the old bridge cost £2 million over two years",
        "quantity",
        ["--value-type", "money", "--currency", "GBP", "--amount", "2000000",
         "--period", "P2Y", "--exact"],
        {"type": "money", "currency": "GBP", "amount": "2000000", "period": "P2Y",
         "estimate": False},
    ),
    "jurisdiction": (
        "The city's records will be kept only in France",
        "jurisdiction",
        ["--value-type", "jurisdiction", "--object", "the city's records", "--constraint",
         "only_in", "--country", "FR"],
        {"type": "jurisdiction", "object": "the city's records", "constraint": "only_in",
         "countries": ["FR"]},
    ),
    "access": (
        "Contractors have no access to them",
        "access",
        ["--value-type", "access", "--object", "the city's records", "--party", "Contractors",
         "--access", "none"],
        {"type": "access", "object": "the city's records", "party": "Contractors",
         "access": "none"},
    ),
    "text": (
        "The council called the project a success",
        "position",
        ["--value-type", "text", "--value-text", "a success"],
        {"type": "text", "text": "a success"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_value_type_is_given_on_the_command_line(
    name: str, root: Path, run_cli: RunCli
) -> None:
    quote, kind, options, wanted = CASES[name]
    run_cli(
        "claim", "add", "--root", root, "--seed", "report", "--quote", quote, "--statement",
        f"A {name} claim.", "--kind", kind, "--asserter", "The council", "--id", name,
        "--original", quote, *options,
    )  # fmt: skip
    claim = yaml.safe_load((root / "claims" / f"{name}.yaml").read_text("utf-8"))
    assert claim["value"] == wanted
    assert claim["original"] == {"text": quote, "language": "en"}
    assert claim["history"][0]["date"] == "2024-03-05"  # from the source's publication
    run_cli("validate", "--root", root, code=None)


@pytest.mark.parametrize(
    ("options", "said", "code"),
    [
        (["--value-type", "money", "--currency", "GBP", "--amount", "1"],
         "--estimate or --exact", 2),
        (["--value-type", "money", "--currency", "XYZ", "--amount", "1", "--estimate"],
         "4217", 1),
        (["--value-type", "money", "--currency", "GBP", "--min", "9", "--max", "1",
          "--estimate"], "greater than", 1),
        (["--value-type", "jurisdiction", "--object", "x", "--constraint", "only_in"],
         "--country", 2),
        (["--value-type", "text", "--country", "FR", "--value-text", "x"],
         "does not go with", 2),
        (["--currency", "GBP"], "--value-type", 2),
        (["--original", "words the source never wrote"], "original", 1),
    ],
)  # fmt: skip
def test_a_value_the_model_refuses_writes_nothing(
    options: list[str], said: str, code: int, root: Path, run_cli: RunCli
) -> None:
    result = run_cli(
        "claim", "add", "--root", root, "--seed", "report", "--quote", "the mayor said",
        "--statement", "A claim.", "--kind", "quantity", "--asserter", "X", "--id", "refused",
        *options, code=code,
    )  # fmt: skip
    assert said in result.stderr
    assert not (root / "claims" / "refused.yaml").exists()
