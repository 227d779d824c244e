"""The paged lists of claims (every claim, then the claims of each status), written a page at a
time as the claims come in site order: a reader without JavaScript browses them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

from claimtrack.site.output import SiteWriter

PAGE_SIZE = 100


class _List:
    """One list: its folder, its status (None: every claim), how many claims it has, the page
    being filled."""

    def __init__(self, folder: str, status: str | None, total: int) -> None:
        self.folder, self.status, self.total = folder, status, total
        self.pages = max(1, -(-total // PAGE_SIZE))
        self.page = 1
        self.rows: list[dict[str, Any]] = []
        self.written = False


class Lists:
    """Every list of the site, fed claims in site order."""

    def __init__(
        self,
        env: jinja2.Environment,
        out: SiteWriter,
        common: Callable[[str, str, bool], dict[str, Any]],
        facets: dict[str, Any],
        totals: dict[str, int],
    ) -> None:
        self.template = env.get_template("index.html")
        self.out, self.common, self.facets = out, common, facets
        self.all = _List("", None, sum(totals.values()))
        self.by_status = {s: _List(f"status/{s}/", s, totals[s]) for s in facets["statuses"]}

    def add(self, claim: dict[str, Any]) -> None:
        for listing in (self.all, self.by_status[str(claim["status"])]):
            listing.rows.append(claim)
            if len(listing.rows) == PAGE_SIZE:
                self._write(listing)

    def finish(self) -> None:
        """The last page of each list (the first, empty, of a list with no claims)."""
        for listing in (self.all, *self.by_status.values()):
            if listing.rows or not listing.written:
                self._write(listing)

    def _write(self, listing: _List) -> None:
        page, folder = listing.page, listing.folder
        root = "../" * (folder.count("/") + (page > 1))

        def href(n: int, root: str = root) -> str:
            return f"{root}{folder}index.html" if n == 1 else f"{root}{folder}list/{n}.html"

        rows = listing.rows
        html = self.template.render(
            **self.common(
                root,
                "claims" if listing.status is None else "status",
                listing.status is None and page == 1,  # the front page names the release
            ),
            rows=rows,
            page=page,
            pages=listing.pages,
            page_href=href,
            total=listing.total,
            first=(page - 1) * PAGE_SIZE + 1 if rows else 0,
            last=(page - 1) * PAGE_SIZE + len(rows),
            facets=self.facets,
            status=listing.status,
        )
        self.out.write(f"{folder}index.html" if page == 1 else f"{folder}list/{page}.html", html)
        listing.rows, listing.page, listing.written = [], page + 1, True
