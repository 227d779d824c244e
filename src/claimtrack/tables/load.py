"""Loading a dataset as Polars frames: validated first, never half a table.

Where from: the working tree of a dataset folder (validated first), or a published release
(`version=`), from the folder's `dataset/` or from the releases packaged with claimtrack.
"""

from __future__ import annotations

import contextlib
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import polars as pl

from claimtrack.exc import InputError, InvalidDataset
from claimtrack.store.layout import Dataset, is_release_folder
from claimtrack.store.listing import Prefetch
from claimtrack.store.releases import (
    TablesAhead,
    parquet_files,
    read_manifest_tables,
    release_path,
)
from claimtrack.tables.built import TablesOfRun, build_in_chunks, built_chunks, write_in_chunks
from claimtrack.tables.kept import TableStore, patched_on_disk, stored_or_patched
from claimtrack.tables.names import TABLE_NAMES, table_schema
from claimtrack.tables.remote import is_url, read_remote
from claimtrack.validate.cache import default_dir

if TYPE_CHECKING:
    from claimtrack.model.records import Claim, SourceDocument


# what a damaged release raises as it is read (a manifest that is not what it should be)
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)


def scan_tables(folder: Path, names: list[str] | None = None) -> dict[str, pl.LazyFrame]:
    """The tables a release holds (all, or ``names``; older releases may lack tables added
    since) as lazy scans of their Parquet files: a partitioned release's parts are scanned
    together, and only what a query needs is read."""
    try:
        return _scans(folder, read_manifest_tables(folder), names)
    except UNREADABLE as error:
        raise _unreadable(folder, error) from None


def _scans(
    folder: Path, tables: dict[str, Any], names: list[str] | None
) -> dict[str, pl.LazyFrame]:
    wanted = list(tables) if names is None else names
    unknown = [n for n in wanted if n not in TABLE_NAMES or n not in tables]
    if unknown:  # a table name is never a path: nothing outside the release is read
        raise ValueError(f"the manifest names no known table {unknown[0]!r}")
    scans = {}
    for name in wanted:
        files = parquet_files(name, tables[name])
        paths = [folder / f for f in files]
        if (folder / name).is_symlink() or any(p.is_symlink() for p in paths):
            raise ValueError(f"a Parquet file (or folder) of table {name!r} is a link")
        scans[name] = pl.scan_parquet(paths) if paths else pl.LazyFrame(schema=table_schema(name))
    return scans


def _unreadable(folder: Path, error: Exception) -> InputError:
    return InputError(
        f"release {folder.name} cannot be read: {error}",
        path=folder,
        hint=f"run `claimtrack verify {folder.name}`",
    )


def read_tables(folder: Path, names: list[str] | None = None) -> dict[str, pl.DataFrame]:
    """The tables a release holds (all, or ``names``), as released. The manifest's `tables`
    are read from the start of its text, and the whole manifest is checked while the tables
    are read (:class:`~claimtrack.store.releases.TablesAhead`): a manifest damaged further
    down is refused once the tables are read."""
    try:
        manifest = TablesAhead(folder)
        try:
            frames = {
                name: scan.collect()
                for name, scan in _scans(folder, manifest.tables, names).items()
            }
        finally:
            manifest.confirm()
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        pl.exceptions.PolarsError,
    ) as error:
        raise _unreadable(folder, error) from None
    return frames


@dataclass(frozen=True)
class Source:
    """Where tables are read from: a dataset's working tree, or a release folder."""

    dataset: Dataset | None
    release: Path | None

    @property
    def description(self) -> str:
        if self.release is None:
            return "the working tree"
        packaged = self.dataset is None
        return f"release {self.release.name}" + (" shipped with claimtrack" if packaged else "")


class PackagedRelease(UserWarning):
    """The current folder is no dataset: a release shipped with claimtrack is read instead."""


def release_folder(root: str | Path) -> Path | None:
    """``root`` as a release folder (one holding `manifest.json`, such as a downloaded copy of
    a release), given as a path or a `file://` URL; None when it is not one."""
    text = str(root)
    if text.lower().startswith("file://"):
        parts = urllib.parse.urlsplit(text)
        text = urllib.request.url2pathname(parts.path)
    here = Path(text).absolute()
    return here if is_release_folder(here) else None


def resolve(root: str | Path | None, version: str | None) -> Source:
    """What to read: the working tree of ``root`` (default: the current folder when it is a
    dataset), a release folder given as ``root`` (a path or a `file://` URL), or a release:
    ``version`` of that dataset, or, when no root is given and the current folder is no
    dataset, the latest release shipped with claimtrack (with a :class:`PackagedRelease`
    warning, so that it is never taken for the user's own)."""
    if (folder := release_folder(root if root is not None else Path())) is not None:
        if version not in (None, "latest", folder.name):
            raise InputError(
                f"{folder} is release {folder.name}, not {version}",
                hint="give the folder of the release you want, without a version",
            )
        return Source(None, folder)
    if isinstance(root, str) and root.lower().startswith("file://"):
        raise InputError(
            f"{root} is not a release folder (it holds no manifest.json)",
            hint="give the folder of a release, e.g. file:///data/claims/1.3.0/",
        )
    here = Path(root).absolute() if root is not None else Path()
    is_dataset = (here / "claims").is_dir()
    if version is None and (root is not None or is_dataset):
        return Source(Dataset.open(here), None)
    # an explicit root means that dataset's releases, never those shipped with claimtrack
    dataset = Dataset(here) if is_dataset or root is not None else None
    wanted = None if version in (None, "latest") else version
    found = Source(dataset, release_path(dataset, wanted))
    if dataset is None:
        warnings.warn(
            f"{Path.cwd()} is no dataset: reading {found.description} (give the dataset's "
            "folder, or a release folder, as the first argument to read your own)",
            PackagedRelease,
            stacklevel=3,
        )
    return found


def read(source: Source, *, cache: bool = True, jobs: int = 1) -> dict[str, pl.DataFrame]:
    """Every table of ``source``: a release as released, or a working tree validated first
    (with the cache, from the tables stored by an earlier run where nothing changed)."""
    if source.release is not None:
        return read_tables(source.release)
    assert source.dataset is not None
    if not cache:
        # imported here: the models and the validator are slow to import, and an unchanged
        # working tree is read from the stored tables without them
        from claimtrack.tables.frames import build_tables  # noqa: PLC0415
        from claimtrack.validate.check import require_valid  # noqa: PLC0415

        report = require_valid(source.dataset, cache=None, jobs=jobs)
        return build_tables(report.claims, report.seeds)
    return _stored(source.dataset, jobs)


def scan(
    source: Source, *, cache: bool = True, jobs: int = 1, prefetch: Prefetch | None = None
) -> dict[str, pl.LazyFrame]:
    """Every table of ``source`` as a lazy frame, read as a query needs it: a release's files
    scanned; a working tree validated first, and its stored tables (brought up to date, patched
    on disk after claim edits) scanned, so a million claims stay in flat memory. Without the
    cache, everything is validated and built in memory. A release is read as released.
    ``prefetch``: the working tree's listing, started in a child process (the CLI's)."""
    if source.release is not None:  # read whole: checked against its manifest as it is read
        return {name: frame.lazy() for name, frame in read_tables(source.release).items()}
    assert source.dataset is not None
    if cache:
        folder = default_dir()
        state = refresh_stored(source.dataset, folder, jobs, prefetch)
        scans = TableStore(folder, source.dataset.root).scan(state) if state else None
        if scans is not None:
            return scans
    return {name: frame.lazy() for name, frame in read(source, cache=cache, jobs=jobs).items()}


def _stored(dataset: Dataset, jobs: int) -> dict[str, pl.DataFrame]:
    """The tables kept by an earlier run: as stored when nothing changed, patched when claim
    files did, built anew otherwise (:mod:`claimtrack.tables.kept`)."""
    folder = default_dir()
    store = TableStore(folder, dataset.root)
    changed, chunks = _builders(dataset, jobs, folder)

    def full() -> tuple[dict[str, pl.DataFrame], dict[str, str] | None]:
        with chunks() as (parts, seeds, made):
            if made is not None:  # written by the run that validated: read back, not again
                files = {name: store.folder / f"{name}.parquet" for name in made}
                return {name: pl.read_parquet(path) for name, path in files.items()}, made
            return build_in_chunks(parts, seeds), None

    return stored_or_patched(dataset, store, changed, full)


def refresh_stored(
    dataset: Dataset, cache_dir: Path, jobs: int = 1, prefetch: Prefetch | None = None
) -> dict[str, Any] | None:
    """The working tree validated and its stored tables brought up to date, for a reader of
    lazy scans: made by the validating run, or built a part at a time, or patched in a stream
    after claim edits, never held whole. The store's state after (None when it could not be
    written)."""
    changed, chunks = _builders(dataset, jobs, cache_dir)

    def full(folder: Path) -> dict[str, str]:
        with chunks() as (parts, seeds, made):
            return made if made is not None else write_in_chunks(folder, parts, seeds)

    return patched_on_disk(dataset, TableStore(cache_dir, dataset.root), changed, full, prefetch)


Validated = tuple[list["Claim"], Sequence["SourceDocument"]]  # valid claims, with the seeds
# the tables' rows a chunk of claims at a time, with the seeds; or, when the run that validated
# made the tables in the store's folder, no chunks and their files' hashes
Chunks = tuple[Iterator[dict[str, pl.DataFrame]], Sequence["SourceDocument"], dict[str, str] | None]


def _builders(
    dataset: Dataset, jobs: int, folder: Path
) -> tuple[
    Callable[[list[Path], list[str]], Validated],
    Callable[[], contextlib.AbstractContextManager[Chunks]],
]:
    """What validates the changed claim files, and what validates everything and gives the
    tables: made by the validating run when it checks every claim (one pass), else their rows
    a chunk of valid claims at a time, in id order, built from the cache by ``jobs`` worker
    processes (with the seeds)."""

    def changed(paths: list[Path], names: list[str]) -> Validated:
        from claimtrack.validate.check import check_claims  # noqa: PLC0415 - see read()

        report = check_claims(dataset, paths, names)
        if not report.ok:
            raise InvalidDataset(report.findings, path=dataset.root)
        return list(report.claims.values()), report.seeds

    @contextlib.contextmanager
    def chunks() -> Iterator[Chunks]:
        from claimtrack.validate.cache import ResultCache  # noqa: PLC0415 - see read()
        from claimtrack.validate.check import require_valid  # noqa: PLC0415
        from claimtrack.validate.keys import ClaimKeys  # noqa: PLC0415

        results = ResultCache(folder)
        try:
            with TablesOfRun(folder, dataset.root, save=False) as rows:
                report = require_valid(dataset, records=False, jobs=jobs, cache=results, rows=rows)
            if rows.hashes is not None:
                yield iter(()), report.seeds, rows.hashes
                return
            keys = ClaimKeys.of(dataset, report).chunks(TABLE_CHUNK)
            yield built_chunks(dataset, keys, results, jobs), report.seeds, None
        finally:
            results.close()

    return changed, chunks


Root = str | Path | None
TABLE_CHUNK = 2_000  # claims whose models are held at once while the tables are built


class LoadOptions(TypedDict, total=False):
    """Options of :func:`claimtrack.load` and :func:`claimtrack.load_tables` besides the root
    and laziness."""

    version: str | None
    cache: bool
    jobs: int


def _known(options: LoadOptions) -> None:
    """A misspelt or unknown option is an error, not silently ignored."""
    unknown = sorted(set(options) - set(LoadOptions.__annotations__))
    if unknown:
        allowed = ", ".join(sorted(LoadOptions.__annotations__))
        raise TypeError(f"unexpected keyword argument {unknown[0]!r} (the options are: {allowed})")


def _lazy_tables(
    root: Root,
    names: list[str] | None,
    prefetch: Prefetch | None = None,
    **options: Unpack[LoadOptions],
) -> dict[str, pl.LazyFrame]:
    """Lazy frames: a local release is scanned (only what a query needs is read); a remote
    release or a working tree is read, then wrapped."""
    if not is_url(root):
        source = resolve(root, options.get("version"))
        if source.release is not None:
            return scan_tables(source.release, names)
    tables = _tables(root, names, prefetch, **options)
    return {name: frame.lazy() for name, frame in tables.items()}


def _tables(
    root: Root,
    names: list[str] | None = None,
    prefetch: Prefetch | None = None,
    **options: Unpack[LoadOptions],
) -> dict[str, pl.DataFrame]:
    if is_url(root):  # a published release on a web server: verified, fetched as needed
        return read_remote(str(root), names)
    source = resolve(root, options.get("version"))
    if source.release is not None:
        return read_tables(source.release, names)
    cache, jobs = options.get("cache", True), options.get("jobs", 1)
    return _working_tree(source, names, cache, jobs, prefetch)


def _working_tree(
    source: Source,
    names: list[str] | None,
    cache: bool,
    jobs: int,
    prefetch: Prefetch | None = None,
) -> dict[str, pl.DataFrame]:
    """A working tree's tables (or ``names`` of them), validated first: with the cache, from
    the stored tables brought up to date on disk, only the tables asked for read, each checked
    against the hash the store's state names; else (or when the store cannot be written) built
    in memory."""
    assert source.dataset is not None
    if cache:
        folder = default_dir()
        state = refresh_stored(source.dataset, folder, jobs, prefetch)
        stored = TableStore(folder, source.dataset.root).read(state, names) if state else None
        if stored is not None:
            return stored
    tables = read(source, cache=cache, jobs=jobs)
    return tables if names is None else {name: tables[name] for name in names}


def tables_of(
    root: Root,
    names: list[str] | None,
    *,
    lazy: bool,
    prefetch: Prefetch | None = None,
    **options: Unpack[LoadOptions],
) -> dict[str, pl.DataFrame] | dict[str, pl.LazyFrame]:
    """The tables (all, or ``names``) of :func:`claimtrack.load_tables`, which starts the
    working tree's listing (``prefetch``) before this module is imported."""
    _known(options)
    if lazy:
        return _lazy_tables(root, names, prefetch, **options)
    return _tables(root, names, prefetch, **options)
