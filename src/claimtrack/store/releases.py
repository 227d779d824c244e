"""Where published releases are: `dataset/<version>/` folders with a manifest, and their versions.

A dataset's own releases live in its `dataset/` folder; outside a dataset, the releases packaged
with claimtrack are used (the wheel ships them; an editable install reads its checkout's).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from claimtrack.exc import InputError
from claimtrack.store.layout import Dataset

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

Bump = Literal["major", "minor", "patch", "none"]

# ASCII digits only (`\d` would take `٣`), at most 9 digits a part: a version is also a folder name
SEMVER = re.compile(r"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$", re.ASCII)
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"  # the publisher's signature of the manifest, which cannot list it
MAX_MANIFEST_BYTES = 64 << 20
PACKAGED = Path(__file__).resolve().parents[1] / "_releases"  # the wheel ships dataset/ here


SOURCE_TREE = Path(__file__).resolve().parents[3] / "dataset"  # editable install of a checkout


def parquet_files(table: str, info: object) -> list[str]:
    """The Parquet files of a table by its manifest entry: the parts of a partitioned release
    (each `<table>/<name>.parquet`, never a path out of its folder), or `<table>.parquet`.
    ValueError when the manifest names a part that is not of this table."""
    parts = info.get("parts") if isinstance(info, dict) else None
    if parts is None:
        return [f"{table}.parquet"]
    pattern = re.compile(re.escape(table) + r"/[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.parquet", re.ASCII)
    if not isinstance(parts, list) or not all(
        isinstance(p, str) and pattern.fullmatch(p) for p in parts
    ):
        raise ValueError(f"the manifest lists parts of table `{table}` outside `{table}/`")
    return parts


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = SEMVER.fullmatch(text)
        if not match:
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise InputError(
                f"`{shown}` is not a version X.Y.Z",
                hint="use semantic versioning with ASCII digits, at most 9 a part, e.g. 1.0.0",
            )
        return cls(*map(int, match.groups()))

    def bumped(self, part: Bump) -> Version:
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    def level_over(self, previous: Version | None) -> Bump:
        """Which bump this version is over the previous one."""
        if previous is None or self.major > previous.major:
            return "major"
        if self.minor > previous.minor:
            return "minor"
        return "patch"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def release_dirs(dataset: Dataset | None) -> dict[str, Path]:
    """Releases by version: the dataset's `dataset/` folder, or without a dataset, those packaged
    with claimtrack (or, for an editable install, those of its checkout)."""
    found: dict[str, Path] = {}
    folders = [dataset.root / "dataset"] if dataset else [PACKAGED, SOURCE_TREE]
    for folder in folders:
        if folder.is_dir():
            for entry in folder.iterdir():
                if SEMVER.match(entry.name) and (entry / MANIFEST).is_file():
                    found[entry.name] = entry
    return dict(sorted(found.items(), key=lambda kv: Version.parse(kv[0])))


def release_path(dataset: Dataset | None, version: str | None) -> Path:
    """The folder of a release (the latest when ``version`` is None)."""
    found = release_dirs(dataset)
    if not found:
        where = dataset.root / "dataset" if dataset else PACKAGED
        raise InputError(
            "there is no release yet", path=where, hint="cut one with `claimtrack release`"
        )
    if version is None:
        return list(found.values())[-1]
    if version not in found:
        raise InputError(
            f"there is no release {version} (releases: {', '.join(found)})",
            hint="name one of those versions, or omit it for the latest",
        )
    return found[version]


def _manifest_bytes(folder: Path) -> bytes:
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        raise ValueError(f"{MANIFEST} is missing or not a regular file")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ValueError(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES:,} bytes")
    return path.read_bytes()


def read_manifest_tables(folder: Path) -> dict[str, Any]:
    """The `tables` object of a release's manifest, what reading its tables needs. The rest is
    checked to be JSON but not built: a release of a million claims lists 100,000 seeds and
    200,000 files (44 MB), which take longer to build than its claims table takes to read.
    ValueError and OSError as :func:`read_manifest`; a missing or non-object `tables` is a
    ValueError too."""
    return _tables_of(_manifest_bytes(folder))


def _tables_of(raw: bytes) -> dict[str, Any]:
    from pydantic_core import ValidationError  # noqa: PLC0415 - only when a release is read

    try:
        tables: dict[str, Any] = _tables_only().validate_json(raw)["tables"]
    except ValidationError as error:
        problem = error.errors()[0]
        where = "/".join(map(str, problem["loc"])) or "the top"
        raise ValueError(f"{MANIFEST}: {problem['msg']} (at {where})") from None
    try:
        json.dumps(tables, allow_nan=False)
    except ValueError:
        raise ValueError(
            f"{MANIFEST}: tables hold NaN, Infinity or a number out of range"
        ) from None
    except RecursionError:
        raise ValueError(f"{MANIFEST}: tables nest too deeply") from None
    return tables


class TablesAhead:
    """A manifest's `tables`, read from the start of its text, while the whole text is checked
    in a second thread (as :func:`read_manifest_tables` does): the check of a 44 MB manifest
    then overlaps reading the tables. :meth:`confirm` waits for it, and raises its ValueError,
    or a ValueError if the whole manifest's `tables` is not the one read ahead (a second
    `tables`, or text the two parsers read differently). ValueError and OSError at once, as
    :func:`read_manifest_tables`, when the manifest cannot be read at all."""

    def __init__(self, folder: Path) -> None:
        raw = _manifest_bytes(folder)
        try:
            self.tables = _leading_tables(raw)
        except ValueError:
            self.tables = _tables_of(raw)  # the error that says what is wrong, if any
        self._outcome: list[dict[str, Any] | Exception] = []
        self._checking = threading.Thread(target=self._check, args=(raw,), daemon=True)
        self._checking.start()

    def _check(self, raw: bytes) -> None:
        try:
            self._outcome.append(_tables_of(raw))
        except Exception as error:  # any: handed to the caller, never printed by the thread
            self._outcome.append(error)

    def confirm(self) -> None:
        """Wait for the check of the whole manifest; raise what it found."""
        self._checking.join()
        whole = self._outcome[0] if self._outcome else ValueError(f"{MANIFEST} was not checked")
        if isinstance(whole, Exception):
            raise whole
        if whole != self.tables:
            raise ValueError(f"{MANIFEST}: its `tables` do not read the same twice")


LEADING_BYTES = 1 << 16  # where `tables` is looked for first (a release writes it near the top)


def _leading_tables(raw: bytes) -> dict[str, Any]:
    """The top-level `tables` object, parsed member by member from the start of the text (the
    members after it are not read); ValueError if it cannot be (not an object, no `tables`,
    not JSON: :func:`read_manifest_tables` says why)."""
    size = LEADING_BYTES
    while True:
        cut = min(size, len(raw))
        for _ in range(3):  # not inside a character (of at most 4 bytes)
            if 0 < cut < len(raw) and raw[cut] & 0xC0 == 0x80:
                cut -= 1
        try:
            return _members_until_tables(raw[:cut].decode("utf-8"))
        except (ValueError, RecursionError):
            if cut >= len(raw):
                raise ValueError(f"{MANIFEST}: no `tables` object was found") from None
            size *= 4


def _members_until_tables(text: str) -> dict[str, Any]:
    decoder = json.JSONDecoder(parse_constant=_no_constant)
    at = _space(text, 0)
    if text[at : at + 1] != "{":
        raise ValueError("not an object")
    at += 1
    while True:
        key, at = decoder.raw_decode(text, _space(text, at))
        at = _space(text, at)
        if not isinstance(key, str) or text[at : at + 1] != ":":
            raise ValueError("not a member")
        value, at = decoder.raw_decode(text, _space(text, at + 1))
        if key == "tables":
            if not isinstance(value, dict):
                raise ValueError("`tables` is not an object")
            return value
        at = _space(text, at)
        if text[at : at + 1] != ",":
            raise ValueError("no `tables`")
        at += 1


def _space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\n\r":
        at += 1
    return at


@functools.cache
def _tables_only() -> SchemaValidator:
    from pydantic_core import SchemaValidator  # noqa: PLC0415
    from pydantic_core import core_schema as cs  # noqa: PLC0415

    tables = cs.dict_schema(cs.str_schema(strict=True), cs.any_schema())
    return SchemaValidator(cs.typed_dict_schema({"tables": cs.typed_dict_field(tables)}))


def read_manifest(folder: Path) -> dict[str, Any]:
    """A release's manifest as a JSON object; ValueError when it is not one (too large, too
    deeply nested, not JSON, not an object). OSError when it cannot be read."""
    try:
        data = json.loads(_manifest_bytes(folder).decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise ValueError(f"{MANIFEST} nests too deeply") from None
    if not isinstance(data, dict):
        raise ValueError(f"{MANIFEST} is not a JSON object")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
