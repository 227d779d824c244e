"""Checking a release against source texts obtained elsewhere (`claimtrack verify --seeds DIR`).

A release may leave a seed's text out (its rights do not allow publishing it). Whoever holds the
text can still check the release: the text must have the SHA-256 the release recorded, and each
quote's offsets must point at a passage that reads as the quote (for withheld quotes: whose
hash, `evidence.text_sha256`, is the one recorded).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack.model.text import normalise, quote_digest
from claimtrack.release.verify import Problem
from claimtrack.store.files import MAX_SEED_BYTES, FileTooLarge, read_bounded
from claimtrack.store.releases import read_manifest
from claimtrack.tables.load import scan_tables


def _seeds(folder: Path) -> dict[str, dict[str, Any]]:
    """Seed id -> {text_file, sha256}, from the manifest, or (older releases) seed metadata."""
    manifest = read_manifest(folder)
    if isinstance(manifest.get("seeds"), dict):
        return dict(manifest["seeds"])
    found = {}
    for path in sorted((folder / "seeds").glob("*.json")):
        data = json.loads(path.read_bytes()) if path.stat().st_size < 1 << 20 else {}
        if isinstance(data, dict) and {"id", "sha256", "text_file"} <= data.keys():
            found[str(data["id"])] = data
    return found


def _text(seeds_dir: Path, seed: str, info: dict[str, Any]) -> tuple[str | None, list[Problem]]:
    name = str(info["text_file"])
    path = seeds_dir / name

    def problem(what: str) -> tuple[None, list[Problem]]:
        return None, [Problem(str(path), f"seed `{seed}`: {what}", outside=True)]

    if "/" in name or name.startswith(".") or path.is_symlink() or not path.is_file():
        return problem(f"no such text in {seeds_dir}")
    try:
        raw = read_bounded(path, MAX_SEED_BYTES)
    except (OSError, FileTooLarge) as error:
        return problem(f"cannot read the text: {error}")
    if hashlib.sha256(raw).hexdigest() != info["sha256"]:
        return problem("the text's SHA-256 is not the recorded one")
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return problem("the text is not UTF-8")


def _quotes(quotes: pl.DataFrame, seed: str, text: str) -> list[Problem]:
    evidence = quotes.filter(pl.col("seed_id") == seed)
    hashed = "text_sha256" in evidence.columns
    problems = []
    for row in evidence.iter_rows(named=True):
        start, end = int(row["start"]), int(row["end"])
        passage = text[start:end] if 0 <= start < end <= len(text) else None
        ok = passage is not None and (
            quote_digest(passage) == row["text_sha256"]
            if hashed
            else normalise(passage) == normalise(row["text"] or "")
        )
        if not ok:
            where = f"{row['claim_id']} {row['quote_id']} [{start}:{end}]"
            problems.append(
                Problem("evidence.parquet", f"seed `{seed}`: quote {where} is not at its offsets")
            )
    return problems


def check_texts(folder: Path, seeds_dir: Path) -> list[Problem]:
    """Every problem found checking the release's seeds against the texts in ``seeds_dir``."""
    problems: list[Problem] = []
    # the evidence table (its parts, in a partitioned release), read once: the quotes placed
    evidence = scan_tables(folder, ["evidence"])["evidence"]
    quotes = evidence.filter(pl.col("start").is_not_null()).collect()
    for seed, info in sorted(_seeds(folder).items()):
        text, found = _text(seeds_dir, seed, info)
        problems += found
        if text is not None:
            problems += _quotes(quotes, seed, text)
    return problems
