"""Finding ClaimReview objects in the forms they are published in: one object, a list, a
`@graph`, a schema.org `DataFeed` of `DataFeedItem`s, or HTML pages carrying
`<script type="application/ld+json">` blocks (found in one linear pass over the page)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

MAX_DEPTH = 12  # wrappers inside wrappers: deeper nesting is not a published form

Path = list[str | int]


_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_OPENING = re.compile(r"<script|<!--", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)


def _blocks(page: str) -> list[str]:
    """The text of each `<script type="application/ld+json">` element, in page order, as an
    HTML parser reads it (a script ends at the first `</script`; comments hide what is in
    them). Every search runs on the page itself (no lower-cased copy, whose offsets can differ)
    and starts past where the last one ended, so a hostile page (a megabyte of `</`, of
    `<script` or of `<scripts>`) costs time in proportion to its length."""
    found: list[str] = []
    pos = 0
    while (opening := _OPENING.search(page, pos)) is not None:
        start = opening.start()
        if opening.group(0) == "<!--":
            end = page.find("-->", start + 4)
            if end == -1:
                return found
            pos = end + 3
            continue
        after = opening.end()
        if after < len(page) and (page[after].isalnum() or page[after] in "-_:"):
            pos = after  # `<scripts>` or `<script-x>`: another element
            continue
        tag_end = page.find(">", after)
        if tag_end == -1:
            return found
        close = _SCRIPT_END.search(page, tag_end + 1)
        body = page[tag_end + 1 : close.start() if close is not None else len(page)]
        pos = close.end() if close is not None else len(page)
        match = _TYPE.search(page, after, tag_end)
        given = next((g for g in match.groups() if g is not None), "") if match else ""
        if html.unescape(given).split(";")[0].strip().lower() == "application/ld+json":
            found.append(body)
    return found


def looks_like_html(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def script_blocks(page: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """The JSON of each `application/ld+json` script block (in page order), and (block index,
    why) for each block that is not JSON."""
    found: list[Any] = []
    bad: list[tuple[int, str]] = []
    for i, block in enumerate(_blocks(page)):
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
