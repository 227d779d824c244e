"""The index of known claims that `claimtrack match` searches (tantivy, BM25 on disk).

One document per claim: the terms of each of its texts (statement, original wording, quotes
and translations) under the field of the text's language, and language-free keys (entities,
money, durations, countries). Candidates for a passage come from the index, never from a scan
of every claim; the few candidates are then scored from what each document stores.

The index is kept in the cache folder beside the stored tables (`match/<dataset>/`), with the
digest of every claim's indexed content: when claims change, only those documents are deleted
and added again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import tantivy

from claimtrack._version import VERSION
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.fingerprint import code_digest
from claimtrack.tables.query import Tables, as_lazy
from claimtrack.track.entities import claim_entities
from claimtrack.track.text import STEMMERS, base_language, negated, terms
from claimtrack.track.values import Money, claim_money, values_of

FORMAT = 9  # of the index's documents; another value, another code digest: built anew
STATE = "state.json"
DIGESTS = "digests.parquet"  # each claim's digest, beside the state
LANG_FIELDS = {lang: f"t_{lang}" for lang in STEMMERS}
BATCH = 20_000  # claims turned into documents at a time
WRITER_HEAP = 100_000_000  # bytes tantivy buffers before it writes a segment


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in LANG_FIELDS.values():  # term queries only: no positions
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("keys", stored=False, tokenizer_name="whitespace", index_option="freq")
    # what the scoring reads, stored and not indexed (as a text field, every document's whole
    # JSON was one term: a million claims, a gigabyte of term dictionary)
    builder.add_bytes_field("data", stored=True, indexed=False, fast=False)
    return builder.build()


SCHEMA = _schema()


@dataclass(frozen=True)
class ClaimDoc:
    """What the scoring reads of a candidate claim."""

    id: str
    statement: str
    status: str
    texts: list[tuple[str, str, list[str], bool]]  # (what, language, terms, negated)
    entities: list[list[str]]  # alias keys of each entity
    money: tuple[str | None, list[str]] | None
    period: str | None
    countries: list[str]
    original: str | None = None  # the wording in the source's language, as written

    @classmethod
    def from_json(cls, text: str | bytes) -> ClaimDoc:
        data = json.loads(text)
        money = data["money"]
        return cls(
            data["id"],
            data["statement"],
            data["status"],
            [(w, lang, t.split(), bool(neg)) for w, lang, t, neg in data["texts"]],
            data["entities"],
            (money[0], money[1]) if money else None,
            data["period"],
            data["countries"],
            data.get("original"),
        )


def _texts(
    claim: dict[str, Any], quotes: list[dict[str, Any]], responses: set[str]
) -> list[tuple[str, str, str]]:
    """The claim's texts: (what, language, text); a quote cited only by responses is named
    `response quote`."""
    texts = [("statement", "en", claim["statement"])]
    if claim["original_text"]:
        texts.append(
            ("original", base_language(claim["original_language"]), claim["original_text"])
        )
    for q in quotes:
        kind = "response quote" if q["quote_id"] in responses else "quote"
        texts.append((f"{kind} {q['quote_id']}", base_language(q["language"]), q["text"] or ""))
        if q["translation_text"]:
            lang = base_language(q["translation_language"])
            texts.append((f"{kind} {q['quote_id']} translated", lang, q["translation_text"]))
    return [(w, lang, t) for w, lang, t in texts if t]


def document(
    claim: dict[str, Any],
    quotes: list[dict[str, Any]],
    names: list[str],
    responses: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[tantivy.Document, str]:
    """The index document of a claim (a row of `claims`, its `evidence` rows, the names of its
    subjects and attribution links, the ids of the quotes only its responses cite), and its
    stored data."""
    fields: dict[str, list[str]] = {}
    texts = []
    for what, lang, text in _texts(claim, quotes, responses):
        found = terms(text, lang)
        texts.append([what, lang if lang in STEMMERS else "en", " ".join(found), negated(text)])
        fields.setdefault(LANG_FIELDS.get(lang, "t_en"), []).extend(found)
    entities = claim_entities(names)
    money = claim_money(
        claim["value_currency"], claim["value_amount"], claim["value_min"], claim["value_max"]
    )
    period = claim["value_period"]
    if claim["value_type"] is None:  # no typed value (an import): the figures its words give
        money, period = _worded(claim["statement"], money, period)
    countries = sorted(claim["value_countries"] or [])
    keys = [k for aliases in entities for k in aliases]
    if money is not None:
        keys += [f"{money.currency}:{a}" for a in sorted(money.amounts)]
    keys += [f"cc:{c.lower()}" for c in countries]
    data = {
        "id": claim["claim_id"],
        "statement": claim["statement"],
        "original": claim["original_text"],
        "status": claim["status"],
        "texts": texts,
        "entities": entities,
        "money": [money.currency, [str(a) for a in sorted(money.amounts)]] if money else None,
        "period": period,
        "countries": countries,
    }
    stored = json.dumps(data, ensure_ascii=False, sort_keys=True)
    doc = tantivy.Document(id=claim["claim_id"], keys=" ".join(keys))
    doc.add_bytes("data", stored.encode("utf-8"))
    for name, found in fields.items():
        doc.add_text(name, " ".join(found))
    return doc, stored


def _worded(
    statement: str, money: Money | None, period: str | None
) -> tuple[Money | None, str | None]:
    """The one money amount or range in a currency, and the one duration, that a statement
    states in words, when it states exactly one of each."""
    found = values_of(statement, "en")
    priced = [m for m in found.money if m.currency is not None]
    if money is None and len(priced) == 1:
        money = priced[0]
    if period is None and len(found.durations) == 1:
        (period,) = found.durations
    return money, period


def code_fingerprint() -> str:
    """A digest of the code that makes the documents: another one, the index is built anew."""
    return code_digest(("track/index.py", "track/text.py", "track/values.py", "track/entities.py"))


def claim_digests(tables: Tables) -> pl.DataFrame:
    """A digest of what the index holds of each claim (columns ``claim_id``, ``digest``):
    each row the claim has in the tables hashed with its table's name and its position, and
    the claim's hashes combined by XOR (its rows are distinct: the order they come in does not
    matter). Made in a streaming pass over the tables, a million claims in flat memory, and
    kept as a frame (tens of MiB, not a dict of Python strings)."""
    rows = pl.concat(
        [
            as_lazy(tables[name]).select(cols).with_columns(pl.lit(name).alias("table"))
            for name, cols in _DIGESTED.items()
        ]
    )
    return (
        rows.select(
            "claim_id", pl.struct(pl.all().exclude("claim_id")).hash(seed=FORMAT).alias("h")
        )
        .group_by("claim_id")
        .agg(pl.col("h").bitwise_xor().alias("digest"))
        .collect(engine="streaming")
    )


def _changed(now: pl.DataFrame, before: pl.DataFrame) -> pl.Series:
    """The ids of ``now`` whose digest is not the one ``before`` has (new or changed)."""
    return now.join(before, on=["claim_id", "digest"], how="anti")["claim_id"]


def _row(*columns: str | pl.Expr) -> list[pl.Expr]:
    """The columns of a table that make its part of a claim's digest, as text."""
    exprs = [pl.col(c) if isinstance(c, str) else c for c in columns]
    return [pl.col("claim_id"), pl.concat_str(
        [e.cast(pl.String).fill_null("\0") for e in exprs], separator="\x1f"
    ).alias("row")]  # fmt: skip


_DIGESTED: dict[str, list[pl.Expr]] = {
    "claims": _row(
        "statement", "original_text", "original_language", "status", "value_type",
        "value_currency", "value_amount", "value_min", "value_max", "value_period",
        pl.col("value_countries").list.join(","),
    ),
    "evidence": _row(
        "position", "quote_id", "text", "language", "translation_text", "translation_language"
    ),
    "subjects": _row("position", "name"),
    "attributions": _row("position", "name", "role"),
    "status_history": _row("position", pl.col("evidence").list.join(",")),
    "responses": _row("position", pl.col("evidence").list.join(",")),
}  # fmt: skip


def _names(tables: Tables, ids: pl.Series) -> dict[str, list[str]]:
    frames = [
        as_lazy(tables["subjects"])
        .filter(pl.col("claim_id").is_in(ids.implode()))
        .select("claim_id", "name"),
        as_lazy(tables["attributions"])
        .filter(
            pl.col("claim_id").is_in(ids.implode()) & (pl.col("role").cast(pl.String) != "relay")
        )
        .select("claim_id", "name"),
    ]
    names: dict[str, list[str]] = {}
    for claim_id, name in pl.concat(frames).collect().iter_rows():
        names.setdefault(claim_id, []).append(name)
    return names


def documents(tables: Tables, ids: pl.Series) -> Iterator[tantivy.Document]:
    """The documents of the claims ``ids``, a batch at a time (the tables read as each batch
    needs them)."""
    for at in range(0, len(ids), BATCH):
        chunk = ids.slice(at, BATCH)
        wanted = pl.col("claim_id").is_in(chunk.implode())
        claims = as_lazy(tables["claims"]).filter(wanted).collect()
        quotes: dict[str, list[dict[str, Any]]] = {}
        for row in as_lazy(tables["evidence"]).filter(wanted).collect().iter_rows(named=True):
            quotes.setdefault(row["claim_id"], []).append(row)
        names = _names(tables, chunk)
        only = _response_quotes(tables, chunk)
        for claim in claims.iter_rows(named=True):
            cid = claim["claim_id"]
            yield document(claim, quotes.get(cid, []), names.get(cid, []), only.get(cid, set()))[0]


def _response_quotes(tables: Tables, ids: pl.Series) -> dict[str, set[str]]:
    """The quotes of each claim that its responses cite and its history does not."""

    def cited(name: str) -> dict[str, set[str]]:
        frame = as_lazy(tables[name]).filter(pl.col("claim_id").is_in(ids.implode()))
        out: dict[str, set[str]] = {}
        for claim_id, refs in frame.select("claim_id", "evidence").collect().iter_rows():
            out.setdefault(claim_id, set()).update(refs or [])
        return out

    history, responses = cited("status_history"), cited("responses")
    return {c: refs - history.get(c, set()) for c, refs in responses.items()}


@dataclass
class Update:
    """What bringing the index up to date did."""

    built: bool  # made anew (first use, other code), not patched
    added: int
    removed: int
    total: int


class ClaimIndex:
    """The match index of one dataset, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index: tantivy.Index | None = None
        self.stored: Any = None

    @classmethod
    def for_dataset(cls, cache_dir: Path, root: Path) -> ClaimIndex:
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
        return cls(cache_dir / "match" / name[:16])

    def _versions(self) -> dict[str, Any]:
        return {"format": FORMAT, "claimtrack": VERSION, "code": code_fingerprint()}

    def _state(self) -> dict[str, Any] | None:
        try:
            state = json.loads((self.folder / STATE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(state, dict) or state.get("versions") != self._versions():
            return None
        return state

    def current(self, stored: Any) -> Update | None:
        """An update that had nothing to do, when the index was made from the tables stored
        as ``stored`` (their Parquet files' digests); else None."""
        state = self._state()
        if state is None or stored is None or state.get("tables") != stored:
            return None
        if not (self.folder / "index").is_dir() or not (self.folder / DIGESTS).is_file():
            return None
        return Update(False, 0, 0, int(state.get("claims", 0)))

    def size(self) -> int:
        """The number of claims indexed."""
        return int(self.index().searcher().num_docs)

    def update(self, tables: Tables, stored: Any = None) -> Update:
        """Bring the index to the claims of ``tables``: only changed claims are written.
        ``stored``: what identifies the tables as stored (their Parquet files' digests); the
        same as when the index was last brought up to date, nothing is compared."""
        done = self.current(stored)
        if done is not None:
            return done
        with self._lock():  # one process brings the index up to date; the others then see it
            done = self.current(stored)
            return done if done is not None else self._update(tables, stored)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with (self.folder.parent / f"{self.folder.name}.lock").open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _update(self, tables: Tables, stored: Any) -> Update:
        state = self._state()
        self.stored = stored
        digests = claim_digests(tables)
        before = self._digests() if state is not None else None
        if before is None or not (self.folder / "index").is_dir():
            return self._build(tables, digests)
        gone, new = _changed(before, digests), _changed(digests, before)
        del before
        if len(gone) or len(new):
            index = self.index()
            writer = index.writer(heap_size=50_000_000, num_threads=1)
            for claim_id in gone:
                writer.delete_documents_by_term("id", claim_id)
            for doc in documents(tables, new):
                writer.add_document(doc)
            self._commit(writer, digests)
        return Update(False, len(new), len(gone), digests.height)

    def _digests(self) -> pl.DataFrame | None:
        try:
            return pl.read_parquet(self.folder / DIGESTS)
        except (OSError, pl.exceptions.PolarsError):
            return None

    def _build(self, tables: Tables, digests: pl.DataFrame) -> Update:
        shutil.rmtree(self.folder, ignore_errors=True)
        (self.folder / "index").mkdir(parents=True)
        self._index = tantivy.Index(SCHEMA, path=str(self.folder / "index"))
        writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        for doc in documents(tables, digests["claim_id"]):
            writer.add_document(doc)
        self._commit(writer, digests)
        return Update(True, digests.height, 0, digests.height)

    def _commit(self, writer: tantivy.IndexWriter, digests: pl.DataFrame) -> None:
        writer.commit()
        writer.wait_merging_threads()
        buffer = io.BytesIO()
        digests.write_parquet(buffer)
        atomic_write_bytes(self.folder / DIGESTS, buffer.getvalue())
        state = {"versions": self._versions(), "claims": digests.height, "tables": self.stored}
        atomic_write_bytes(self.folder / STATE, json.dumps(state).encode("utf-8"))
        if self._index is not None:
            self._index.reload()

    def index(self) -> tantivy.Index:
        if self._index is None:
            self._index = tantivy.Index.open(str(self.folder / "index"))
        return self._index
