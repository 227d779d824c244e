"""Untrusted text made safe for where it is shown: terminals and CI logs, Markdown, spreadsheets.

Data is shown, never interpreted:

- :func:`visible` (terminals, CI logs): control characters (escape sequences, carriage returns,
  bells, bidirectional overrides) become `\\xNN` or `\\uNNNN`, so data can neither move the
  cursor, set a window title or a hyperlink, nor start a line that a CI runner reads as a
  command (`::error ...`). Newlines are escaped too unless the caller allows them.
- :func:`json_text`: JSON whose strings keep every character but print none raw.
- :func:`markdown_cell`: one cell of a Markdown table (no line break, no `|`);
  :func:`markdown_text` and :func:`markdown_code`: running text and code blocks.
- :data:`FORMULA_START`: what a CSV cell a spreadsheet would run as a formula starts with
  (`tables.csv` guards such cells).

This module sits beside the layers: any of them may use it.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NEWLINE = re.compile("[\n\t]")
# the same characters with newlines and tabs, as a Polars (Rust regex) pattern
CONTROL_OR_NEWLINE = (
    "[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]"
)
# a spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, newlines: bool = False) -> str:
    """``text`` with every control character made visible (newlines too unless allowed)."""
    value = _CONTROL.sub(_escape, str(text))
    return value if newlines else _NEWLINE.sub(_escape, value)


def json_text(text: str) -> str:
    """JSON text with the control characters JSON leaves raw (DEL, C1 controls, line separators,
    bidirectional controls) written as `\\uNNNN` escapes: the same JSON value, safe to print.
    Valid only on JSON text, where such characters can only stand inside strings."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_MARKDOWN_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_text(text: object) -> str:
    """Running text in Markdown (a list item, a block quote): shown as written, never read as
    markup: control characters visible, Markdown's punctuation escaped, `<` and `&` as
    entities."""
    value = visible(text).replace("&", "&amp;").replace("<", "&lt;")
    value = _MARKDOWN_PUNCT.sub(r"\\\1", value)
    return value.replace("@", "&#64;")  # no @mention of a person or a team in a pull request


def markdown_code(text: object) -> str:
    """``text`` as a Markdown code block whose fence no backtick run in it can close."""
    value = visible(text)
    longest = max((len(m) for m in re.findall("`+", value)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}sh\n{value}\n{fence}"


def markdown_cell(text: object) -> str:
    """One cell of a Markdown table: control characters visible, `|` and `<` escaped."""
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
