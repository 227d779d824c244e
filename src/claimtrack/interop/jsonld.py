"""Finding ClaimReview objects in the forms they are published in: one object, a list, a
`@graph`, a schema.org `DataFeed` of `DataFeedItem`s, or HTML pages carrying
`<script type="application/ld+json">` blocks (read with the standard library's HTML parser)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

MAX_DEPTH = 12  # wrappers inside wrappers: deeper nesting is not a published form

Path = list[str | int]


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._open = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.blocks[-1] += data


def looks_like_html(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def script_blocks(html: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """The JSON of each `application/ld+json` script block (in page order), and (block index,
    why) for each block that is not JSON."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    found: list[Any] = []
    bad: list[tuple[int, str]] = []
    for i, block in enumerate(parser.blocks):
        try:
            found.append(json.loads(block))
        except (ValueError, RecursionError) as error:
            bad.append((i, f"script block {i} is not JSON: {error}"))
            found.append(None)
    return found, bad


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def reviews(data: Any, path: Path | None = None, depth: int = 0) -> Iterator[tuple[Path, Any]]:
    """Every ClaimReview candidate in ``data`` with its JSON pointer path; a wrapper is opened,
    anything else is yielded for the caller to accept or reject."""
    here: Path = path or []
    if depth > MAX_DEPTH:
        yield here, data
        return
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from reviews(item, [*here, i], depth + 1)
        return
    if not isinstance(data, dict) or "claimReviewed" in data:
        yield here, data
        return
    kinds = _types(data)
    if isinstance(data.get("@graph"), list | dict):
        yield from reviews(data["@graph"], [*here, "@graph"], depth + 1)
    elif "DataFeed" in kinds or "dataFeedElement" in data:
        yield from reviews(data.get("dataFeedElement", []), [*here, "dataFeedElement"], depth + 1)
    elif "DataFeedItem" in kinds or ("item" in data and "ClaimReview" not in kinds):
        yield from reviews(data.get("item"), [*here, "item"], depth + 1)
    else:
        yield here, data
