"""Data shown on a terminal or in a CI log is shown, never interpreted."""

from __future__ import annotations

from claimtrack.escape import visible


def test_escape_sequences_and_returns_are_made_visible() -> None:
    assert visible("\x1b[2Jclear") == "\\x1b[2Jclear"
    assert visible("a\rb") == "a\\x0db"
    assert visible("\x9b31m") == "\\x9b31m"  # the one-byte C1 control sequence introducer


def test_a_newline_cannot_start_a_ci_command() -> None:
    shown = visible("x\n::error file=evil.yml::INJECTED")
    assert "\n" not in shown and shown.startswith("x\\x0a::error")


def test_newlines_are_kept_only_when_allowed() -> None:
    assert visible("a\nb", newlines=True) == "a\nb"
    assert visible("a\u2028b", newlines=True) == "a\\u2028b"


def test_ordinary_text_is_unchanged() -> None:
    text = "Les données « hébergées » au Royaume-Uni — £500m"
    assert visible(text) == text
