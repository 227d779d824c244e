"""Text from the data shown on a terminal or in a CI log: shown, never interpreted.

Control characters (escape sequences, carriage returns, bells) are made visible as `\\xNN` or
`\\uNNNN`, so data can neither move the cursor, set a window title or a hyperlink, nor start a
line that a CI runner reads as a command (`::error ...`).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the line and paragraph separators; a tab and a newline are kept
# only where the caller allows them
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NEWLINE = re.compile("[\n\t]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, newlines: bool = False) -> str:
    """``text`` with every control character made visible (newlines too unless allowed)."""
    value = str(text)
    value = _CONTROL.sub(_escape, value)
    if not newlines:
        value = _NEWLINE.sub(_escape, value)
    return value
