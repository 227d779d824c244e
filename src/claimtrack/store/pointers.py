"""RFC 6901 JSON pointers: how findings, locators and importers name a place in a document."""

from __future__ import annotations


def pointer(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """Build an RFC 6901 JSON pointer from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def parse_pointer(value: str) -> list[str]:
    """Split an RFC 6901 JSON pointer into its unescaped parts."""
    if not value:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in value.split("/")[1:]]
