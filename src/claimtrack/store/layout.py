"""Where a dataset's files are: the root folder with `claims/`, `seeds/`, `schemas/`, `dataset/`."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from claimtrack.exc import DatasetNotFound, InputError

RecordKind = Literal["claim", "seed"]
TEXTS_ENV = "CLAIMTRACK_SEED_TEXTS"
SUFFIX = ".yaml"


class DataFile:
    """A record file to check: its path, what it holds and how findings name it.

    The files of a listing (:meth:`listed`) share their folder's Path and keep only their name:
    a million files listed hold a million short strings, not a million Path objects."""

    __slots__ = ("_base", "_name", "display", "kind")

    def __init__(self, path: Path, kind: RecordKind, display: str) -> None:
        self._base = path
        self._name: str | None = None
        self.kind: RecordKind = kind
        self.display = display

    @classmethod
    def listed(cls, folder: Path, name: str, kind: RecordKind, display: str) -> DataFile:
        """The file ``name`` (a `/`-separated path) under ``folder``."""
        file = cls(folder, kind, display)
        file._name = name
        return file

    @property
    def path(self) -> Path:
        return self._base if self._name is None else self._base / self._name

    def absolute(self, bases: dict[Path, str]) -> str:
        """The file's absolute path as a string (as ``str(path.absolute())``), without making
        a Path: a run asks it of every file, and each Path adds its parts to the interpreter's
        table of interned strings for good. ``bases``: the absolute folders worked out so far."""
        if self._name is None:
            return str(self._base.absolute())
        base = bases.get(self._base)
        if base is None:
            base = bases[self._base] = str(self._base.absolute())
        return f"{base}/{self._name}" if base != "/" else f"/{self._name}"

    @property
    def name(self) -> str:
        """The file name (as `Path.name`), without making a Path."""
        return self._base.name if self._name is None else self._name[self._name.rfind("/") + 1 :]

    @property
    def stem(self) -> str:
        """The file name without its last suffix (as `Path.stem`), without making a Path."""
        name = self.name
        dot = name.rfind(".")
        return name[:dot] if 0 < dot < len(name) - 1 else name

    def _fields(self) -> tuple[Path, RecordKind, str]:
        return self.path, self.kind, self.display

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataFile) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"DataFile({self.path!r}, {self.kind!r}, {self.display!r})"


def is_release_folder(folder: Path) -> bool:
    """Whether ``folder`` is a published release (a downloaded copy, `dataset/1.0.0/`): it holds
    the release's `manifest.json`, and no seed metadata (`seeds/*.yaml`) as a dataset does."""
    return (folder / "manifest.json").is_file() and not any((folder / "seeds").glob("*.yaml"))


@dataclass(frozen=True)
class Dataset:
    """A dataset root folder. Each folder is listed once per Dataset object (one per run)."""

    root: Path
    _listings: dict[tuple[Path, str], list[DataFile]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def open(cls, root: Path) -> Dataset:
        """The dataset at ``root``; raise DatasetNotFound if it has no `claims/` folder."""
        if not root.is_dir():
            raise DatasetNotFound(
                "no such folder" if not root.exists() else "not a folder",
                path=root,
                hint="check the path given to --root (or run the command inside a dataset)",
            )
        if not (root / "claims").is_dir():
            raise DatasetNotFound(
                "not a claimtrack dataset: there is no claims/ folder",
                path=root,
                hint="run the command inside a dataset folder, or pass --root DIR",
            )
        if is_release_folder(root):  # its claims/ holds a partitioned release's Parquet parts
            raise DatasetNotFound(
                "a published release, not a dataset's working tree: it holds manifest.json "
                "and no seeds/*.yaml",
                path=root,
                hint="`claimtrack query --root DIR`, `stats --root DIR` and "
                "`claimtrack.load(DIR)` read a release folder, and `claimtrack verify` run inside "
                "one checks it; the other commands need the dataset's own folder",
            )
        for name in ("claims", "seeds", "schemas"):
            if (root / name).is_symlink():  # a link may lead anywhere: its files are not ours
                raise InputError(
                    f"{name}/ is a symbolic link; record folders must be real folders",
                    path=root / name,
                    hint="replace the link with the folder itself, inside the dataset",
                )
        return cls(root)

    @property
    def claims_dir(self) -> Path:
        return self.root / "claims"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    @property
    def texts_dir(self) -> Path | None:
        """Where archived texts kept outside the repository are (`CLAIMTRACK_SEED_TEXTS`): a
        newsroom's private archive, mounted or synced in CI. The metadata and SHA-256 stay in
        `seeds/`; the text read from there must have that SHA-256."""
        folder = os.environ.get(TEXTS_ENV, "").strip()
        return Path(folder) if folder else None

    def seed_text_path(self, name: str) -> Path:
        """Where the archived file ``name`` (a seed's `text_file` or `original_file`, a plain
        file name) is: in `seeds/`, else in :attr:`texts_dir` when that holds it."""
        here = self.seeds_dir / name
        outside = self.texts_dir
        if outside is None or here.exists() or here.is_symlink() or not _plain_name(name):
            return here
        there = outside / name
        return there if there.is_file() and not there.is_symlink() else here

    def text_folders(self) -> list[Path]:
        """The folders an archived text may be read from, resolved."""
        folders = [self.seeds_dir.resolve()]
        if self.texts_dir is not None:
            folders.append(self.texts_dir.resolve())
        return folders

    def display(self, path: Path) -> str:
        """How findings name a file: relative to the current folder when that is shorter; bytes
        of a name that are not UTF-8 are shown as `\\xNN` (output stays valid UTF-8)."""
        try:
            shown = str(path.absolute().relative_to(Path.cwd()))
        except ValueError:
            shown = str(path)
        return _shown(shown)

    def _listing(self, folder: Path, kind: RecordKind) -> list[DataFile]:
        key = (folder, kind)
        if key not in self._listings:
            names = record_names(folder, nested=kind == "claim")
            prefix = self.display(folder)
            self._listings[key] = [
                DataFile.listed(folder, name, kind, f"{prefix}{os.sep}{_shown(name)}")
                for name in names
            ]
        return list(self._listings[key])

    def claim_names(self, *, ordered: bool = True) -> list[str]:
        """The claim files under `claims/` (in sub-folders too) as paths relative to it
        (`a.yaml`, `liar/3f/liar-1.yaml`), sorted (unless not ``ordered``: as listed), without
        making a Path of each."""
        return record_names(self.claims_dir, nested=True, ordered=ordered)

    def claim_index(self, names: list[str] | None = None) -> dict[str, str]:
        """Each claim id (its file name without `.yaml`) with its file's path under `claims/`
        (make it a path with :meth:`claim_path`); of two files with the same id (a finding of
        `validate`), the first in sorted order. ``names``: :meth:`claim_names`, if listed
        already."""
        names = self.claim_names() if names is None else names
        end = -len(SUFFIX)
        if not any("/" in name for name in names):  # a flat folder: names are unique
            return {name[:end]: name for name in names}
        found: dict[str, str] = {}
        for name in names:
            found.setdefault(name[name.rfind("/") + 1 : end], name)
        return found

    def claim_path(self, name: str) -> Path:
        """The file of a name from :meth:`claim_index`."""
        return self.claims_dir / name

    def claim_files(self) -> list[DataFile]:
        """Every `claims/**/*.yaml` (hidden folders and links to folders are not entered)."""
        return self._listing(self.claims_dir, "claim")

    def seed_files(self) -> list[DataFile]:
        return self._listing(self.seeds_dir, "seed")

    def all_files(self) -> list[DataFile]:
        return self.claim_files() + self.seed_files()

    def select(self, paths: Sequence[Path]) -> list[DataFile]:
        """The record files named by the user: files as given, folders expanded to `*.yaml`."""
        selected: list[DataFile] = []
        for path in paths:
            if not path.exists() and not path.is_symlink():
                raise InputError(
                    "no such file or folder",
                    path=path,
                    hint="check the path, or omit it to validate the whole dataset",
                )
            if path.is_dir() and path.resolve() == self.root.resolve():
                selected.extend(self.all_files())
            elif path.is_dir() and not path.is_symlink():
                selected.extend(self._expand(path))
            else:
                selected.append(DataFile(path, self.kind_of(path), self.display(path)))
        return _unique(selected)

    def _expand(self, folder: Path) -> Iterable[DataFile]:
        for path in sorted(folder.rglob(f"*{SUFFIX}")):
            if not any(part.startswith(".") for part in path.relative_to(folder).parts):
                yield DataFile(path, self.kind_of(path), self.display(path))

    def kind_of(self, path: Path) -> RecordKind:
        """Seed metadata lives in a folder called `seeds` (outside `claims/`); everything else
        is a claim."""
        if path.parent.name != "seeds":
            return "claim"
        try:
            path.absolute().relative_to(self.claims_dir.absolute())
        except ValueError:
            return "seed"
        return "claim"


def record_names(folder: Path, *, nested: bool, ordered: bool = True) -> list[str]:
    """The `*.yaml` entries of ``folder`` as relative paths (`/`-separated), sorted; with
    ``nested``, those of its sub-folders too (not of folders whose names start with `.`, nor
    through links to folders). Whatever is listed that is not a regular file, validation
    reports."""
    found: list[str] = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        where = folder / prefix if prefix else folder
        try:
            names = os.listdir(where)  # noqa: PTH208 - names only: no object per entry
        except FileNotFoundError:
            if not prefix:
                return []
            continue
        except OSError as error:  # an unreadable folder is not an empty one
            raise InputError(
                f"cannot list the folder: {error.strerror}",
                path=where,
                hint="check the folder's permissions",
            ) from None
        here = [name for name in names if name.endswith(SUFFIX)]
        found += [prefix + name for name in here] if prefix else here
        if nested and len(here) < len(names):  # only the other names can be folders: lstat them
            pending += [
                f"{prefix}{name}/"
                for name in names
                if not name.endswith(SUFFIX)
                and not name.startswith(".")
                and _is_folder(where, name)
            ]
    return sorted(found) if ordered else found


def folded(names: list[str]) -> list[str]:
    """Each name case folded (for comparing ids ignoring case). Folding maps character by
    character and never makes a line break, so the names are folded in one call when none
    holds a line break itself."""
    parts = "\n".join(names).casefold().split("\n") if names else []
    return parts if len(parts) == len(names) else [name.casefold() for name in names]


_SEARCHED = 8  # up to this many names wanted, the folded listing is searched for each


def same_names(names: list[str], wanted: set[str]) -> list[str]:
    """The paths of ``names`` whose file name, case folded, is one of ``wanted`` (case folded
    already, without `/`), in their order. The names are folded as one text and searched, not
    one by one: folding neither makes nor removes a line break or a `/`."""
    if not wanted:
        return []
    text = "\n".join(names) if len(wanted) <= _SEARCHED else ""
    if not text or text.count("\n") != len(names) - 1 or any("\n" in b for b in wanted):
        # many names wanted (a search each would cost more), or names with line breaks
        bases = folded([name[name.rfind("/") + 1 :] for name in names])
        return [name for name, base in zip(names, bases, strict=True) if base in wanted]
    text = f"\n{text.casefold()}\n"
    lines: set[int] = set()
    for base in wanted:
        for needle in (f"\n{base}\n", f"/{base}\n"):
            at = text.find(needle)
            while at != -1:
                lines.add(text.count("\n", 0, at + (needle[0] == "\n")) - 1)
                at = text.find(needle, at + 1)
    return [names[line] for line in sorted(lines)]


def _is_folder(where: Path, name: str) -> bool:
    """A folder itself (not a link to one); False for what is gone since the listing."""
    try:
        return stat.S_ISDIR(os.lstat(where / name).st_mode)
    except OSError:
        return False


def _plain_name(name: str) -> bool:
    """A file name with no folder part, not hidden: the only names read outside `seeds/`."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def _shown(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 as `\\xNN`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _unique(files: list[DataFile]) -> list[DataFile]:
    seen: set[Path] = set()
    result = []
    for item in files:
        key = item.path.absolute()
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result
