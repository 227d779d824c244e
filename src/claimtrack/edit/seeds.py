"""Removing and renaming an archived source that no claim uses (`seed rm`, `seed rename`).

A seed a claim quotes or names in its attribution keeps its id: the claim would lose its
evidence. Released copies are never touched (a release is immutable); only `seeds/` changes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.edit.archive import check_seed_id, write_seed
from claimtrack.exc import InputError
from claimtrack.model.records import SourceDocument
from claimtrack.store.layout import Dataset
from claimtrack.store.locking import locked
from claimtrack.store.yaml_read import YamlProblem, load_bytes

SHOWN_USERS = 5  # claims named in the refusal; the count says the rest


@dataclass(frozen=True)
class SeedChange:
    """What an edit of `seeds/` did: the files removed and written."""

    seed_id: str
    removed: list[Path]
    written: list[Path]


def _refs(claim: Any) -> set[str]:
    """The seed ids a claim record names (evidence and attribution)."""
    found: set[str] = set()
    if not isinstance(claim, dict):
        return found
    for key in ("evidence", "attribution"):
        items = claim.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("seed"), str):
                found.add(item["seed"])
    return found


def seed_users(dataset: Dataset, seed_id: str) -> list[str]:
    """The claim files (as shown) that name ``seed_id``; a file that does not parse and holds
    the id counts as a user, to be safe."""
    needle = seed_id.encode("utf-8")
    users = []
    for data_file in dataset.claim_files():
        try:
            raw = data_file.path.read_bytes()
        except OSError:
            continue
        if needle not in raw:
            continue
        try:
            named = _refs(load_bytes(raw).data)
        except YamlProblem:  # a file that does not parse: keep the seed, to be safe
            named = {seed_id}
        if seed_id in named:
            users.append(data_file.display)
    return users


def _seed(dataset: Dataset, seed_id: str) -> tuple[Path, SourceDocument]:
    """The seed's metadata file and record; InputError when there is none or it is invalid."""
    check_seed_id(dataset, seed_id, new=False)
    path = dataset.seeds_dir / f"{seed_id}.yaml"
    if not path.is_file() or path.is_symlink():
        raise InputError(
            f"there is no seed `{seed_id}`", path=path, hint="list the seeds with `ls seeds/`"
        )
    try:
        record = SourceDocument.model_validate(load_bytes(path.read_bytes()).data)
    except (OSError, ValueError, YamlProblem) as error:
        raise InputError(
            f"the seed's metadata is not valid: {str(error).splitlines()[0]}",
            path=path,
            hint="run `claimtrack validate` and repair it first",
        ) from None
    return path, record


def _unused(dataset: Dataset, seed_id: str, action: str) -> None:
    users = seed_users(dataset, seed_id)
    if users:
        shown = ", ".join(users[:SHOWN_USERS])
        more = f" and {len(users) - SHOWN_USERS} more" if len(users) > SHOWN_USERS else ""
        raise InputError(
            f"cannot {action} seed `{seed_id}`: {len(users)} claim file(s) name it ({shown}"
            f"{more}); nothing was changed",
            hint="a seed that claims quote keeps its id; remove or re-cite those claims first",
        )


def _files(dataset: Dataset, record: SourceDocument) -> list[Path]:
    """The seed's archived files inside `seeds/` (an external text is left where it is)."""
    names = [record.text_file, *([record.original_file] if record.original_file else [])]
    return [dataset.seeds_dir / n for n in names if (dataset.seeds_dir / n).is_file()]


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@locked
def remove_seed(dataset: Dataset, seed_id: str) -> SeedChange:
    """Delete an unused seed: its metadata first (so an interruption leaves only files that
    `validate` reports as orphans), then its text and original."""
    meta_path, record = _seed(dataset, seed_id)
    _unused(dataset, seed_id, "remove")
    files = _files(dataset, record)
    _unlink([meta_path, *files])
    return SeedChange(seed_id, [meta_path, *files], [])


@locked
def rename_seed(dataset: Dataset, seed_id: str, new_id: str) -> SeedChange:
    """Give an unused seed a new id: the new files are written and checked as `seed add`
    writes them, then the old ones removed."""
    meta_path, record = _seed(dataset, seed_id)
    _unused(dataset, seed_id, "rename")
    check_seed_id(dataset, new_id, new=True, renaming=seed_id)
    old_files = _files(dataset, record)
    renames = {record.text_file: f"{new_id}.txt"}
    if record.original_file:
        renames[record.original_file] = f"{new_id}.orig{Path(record.original_file).suffix}"
    missing = [n for n in renames if not (dataset.seeds_dir / n).is_file()]
    if missing:
        raise InputError(
            f"seed `{seed_id}`: {', '.join(missing)} is not in seeds/ (kept elsewhere, e.g. "
            "CLAIMTRACK_SEED_TEXTS); nothing was changed",
            path=meta_path,
            hint="rename a seed whose files are all in seeds/",
        )
    meta = record.model_dump(mode="json") | {"id": new_id}
    for key in ("text_file", "original_file"):
        if meta.get(key):
            meta[key] = renames[meta[key]]
    files = {
        dataset.seeds_dir / new: (dataset.seeds_dir / old).read_bytes()
        for old, new in renames.items()
    }
    new_meta = write_seed(dataset, meta, files)
    _unlink([meta_path, *old_files])
    return SeedChange(new_id, [meta_path, *old_files], [new_meta, *files])
