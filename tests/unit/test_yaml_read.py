"""Reading values straight from the parser's events gives exactly what the full parse gives:
the same values of the same types, or the same problem at the same position."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.store.yaml_read import YamlProblem, decode, load_bytes, parse

from ..conftest import REPO, TESTS

FILES = sorted(
    [
        *REPO.glob("claims/**/*.yaml"),
        *REPO.glob("seeds/*.yaml"),
        *TESTS.glob("examples/**/*.yaml"),
        *(TESTS / "fuzz_corpus").glob("*"),
    ]
)
PIECES = [
    "a",
    "b",
    "id",
    "k1",
    "é",
    "x y",
    ":",
    ": ",
    "- ",
    "-",
    "  ",
    "    ",
    "\n",
    "\n  ",
    "\n- ",
    "#c",
    "'q'",
    '"d\\n"',
    "''",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "? ",
    "---",
    "...",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "!t ",
    "! ",
    "<<: ",
    "= ",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "0",
    "-1",
    "+2",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "1:30",
    "190:20:30",
    "1.5",
    "-.inf",
    ".NaN",
    "1e3",
    "6.8523015e+5",
    "2020-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "1" * 70,
    "|\n  t\n",
    ">-\n  f\n",
    "\t",
    "%YAML 1.1\n",
    "\x85",
    "\u2028",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _typed(value: Any) -> Any:
    """The value with every type made explicit (True is not 1; NaN equals NaN)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _outcome(read: Any) -> Any:
    try:
        return ("data", _typed(read().data))
    except YamlProblem as problem:
        return ("problem", problem)


def _same(raw: bytes) -> None:
    fast = _outcome(lambda: load_bytes(raw))
    full = _outcome(lambda: parse(decode(raw)))
    assert fast == full


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_example_reads_the_same(path: Path) -> None:
    _same(path.read_bytes())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_reads_the_same(text: str) -> None:
    _same(text.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=10,
    ),
    st.sampled_from([None, True, False]),
)
def test_dumped_values_read_the_same(value: Any, flow: bool | None) -> None:
    _same(yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True).encode("utf-8"))


def test_positions_are_composed_only_when_asked_for() -> None:
    doc = load_bytes(b"id: a\nlist:\n  - x\n  - y\n")
    assert doc.composed is None
    assert doc.locate("/list/1") == (4, 5)
    assert doc.composed is not None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("a: 1\na: 2\n", "yaml.duplicate-key"),
        ("a: &x 1\nb: *x\n", "yaml.alias"),
        ("a: !!python/name:os.system x\n", "yaml.tag"),
        ("? [a]\n: 1\n", "yaml.key-type"),
        ("1: a\n", "yaml.key-type"),
        ("a: 1\n---\nb: 2\n", "yaml.multiple-documents"),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "yaml.too-deep"),
        ("a: " + "9" * 80 + "\n", "yaml.value"),
        ("", "file.empty"),
        ("a: !!bool x\n", "yaml.value"),  # KeyError in PyYAML's constructor
        ("a: [!!int ]\n", "yaml.value"),  # IndexError there
    ],
)
def test_problems_are_those_of_the_full_parse(text: str, rule: str) -> None:
    with pytest.raises(YamlProblem) as problem:
        load_bytes(text.encode("utf-8"))
    assert problem.value.rule == rule
    _same(text.encode("utf-8"))
