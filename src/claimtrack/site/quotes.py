"""Each source's quotes, gathered as the claims' pages are written and read back a source at a
time for its page. They wait on disk, in a private SQLite file deleted on close, so the site's
memory does not grow with the number of quotes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from claimtrack.site.seed_page import Quoted

_TABLE = (
    "CREATE TABLE quotes (seed TEXT, n INTEGER, claim_id TEXT, quote_id TEXT, start INTEGER, "
    '"end" INTEGER, text TEXT, statement TEXT, label TEXT)'
)


class QuoteStore:
    """The quotes of every source, in the order they were added."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a temporary file of its own, removed on close
        self.db.execute(_TABLE)
        self.count = 0
        self._indexed = False

    def add(self, quotes: Iterable[tuple[str, Quoted]]) -> None:
        rows = []
        for seed_id, quote in quotes:
            rows.append((seed_id, self.count, *quote))
            self.count += 1
        self.db.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def of(self, seed_id: str) -> list[Quoted]:
        """A source's quotes, in the order they were added."""
        if not self._indexed:
            self.db.execute("CREATE INDEX by_seed ON quotes (seed, n)")
            self._indexed = True
        found = self.db.execute(
            'SELECT claim_id, quote_id, start, "end", text, statement, label FROM quotes '
            "WHERE seed = ? ORDER BY n",
            (seed_id,),
        )
        return [Quoted(*row) for row in found]

    def close(self) -> None:
        self.db.close()
