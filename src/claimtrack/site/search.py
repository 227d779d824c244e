"""The site's search index and filters: every claim as a row the page's script searches, in
chunks loaded when a reader first filters or searches, and the values each filter offers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from claimtrack.site import pages
from claimtrack.site.output import SiteWriter

CHUNK_SIZE = 5000


def facets(claims: list[dict[str, Any]]) -> dict[str, list[str]]:
    people = Counter(a for c in claims for a in pages.asserters(c))
    used = {c["status"] for c in claims}
    return {
        "statuses": [s for s in pages.STATUS_WORDS if s in used],
        "kinds": sorted({str(c["kind"]) for c in claims}),
        "asserters": [name for name, _ in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))][
            :500
        ],
        "topics": sorted({str(t) for c in claims for t in c.get("topics", [])}),
    }


def search_rows(claims: list[dict[str, Any]]) -> Iterator[list[Any]]:
    for c in claims:
        names = pages.asserters(c)
        words = [c.get("statement") or "", c["id"], *names]
        if c.get("original") and c["original"].get("text"):
            words.append(c["original"]["text"])
        yield [
            c["id"],
            c.get("statement"),
            c["status"],
            c["kind"],
            names,
            pages.claim_date(c),
            list(c.get("topics", [])),
            pages.search_key(" ".join(words)),
        ]


def script_json(value: Any) -> str:
    """JSON to place in a script file: `<` escaped, so no data can close a script element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def search_index(out: SiteWriter, claims: list[dict[str, Any]]) -> None:
    """The search index: every claim's row, in chunks the page's script loads when needed."""
    chunks = -(-len(claims) // CHUNK_SIZE)
    rows_all = list(search_rows(claims))
    for i in range(chunks):
        part = rows_all[i * CHUNK_SIZE : (i + 1) * CHUNK_SIZE]
        out.write(f"search/chunk-{i}.js", f"CT_CHUNK({i},{script_json(part)});\n")
    body = {"chunks": chunks, "total": len(claims), "words": pages.STATUS_WORDS}
    # the page's folder decides where chunks are: meta.js is read from index.html and list/
    out.write(
        "search/meta.js",
        "window.CT_META=" + script_json(body) + ";\n"
        "window.CT_META.root=document.currentScript.src.replace(/search\\/meta\\.js.*$/,'');\n",
    )
