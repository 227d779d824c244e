"""Versioned, immutable, verifiable releases under `dataset/<version>/`.

A release holds every table as Parquet, the claims also as JSON Lines (full records) and CSV
(flat columns), the archived seed texts, a Frictionless `datapackage.json`, a data card
`README.md`, and `manifest.json` with every file's SHA-256 and size, row counts, the schema
version, the source commit and the release date.

A release is built in a hidden staging folder next to its final place and moved there with one
rename, so an interrupted release leaves no partial version; an existing version is never
overwritten. The same inputs (records, date, commit, tool versions) give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from claimtrack._version import VERSION as TOOL_VERSION
from claimtrack.store.atomic import atomic_write_text
from claimtrack.store.layout import Dataset
from claimtrack.release.diff import ORDER, Bump, Diff, as_markdown, compare
from claimtrack.exc import ClaimtrackError, InputError, InvalidDataset
from claimtrack.tables.frames import TABLES, build_tables
from claimtrack.store.git import git
from claimtrack.model.records import SCHEMA_VERSION, Claim, SourceDocument
from claimtrack.cli.formats import flat_csv
from claimtrack.validate.runner import validate_all
from claimtrack.model.vocab import VOCABULARIES

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
MANIFEST = "manifest.json"
WORKTREE = "worktree"
PACKAGED = Path(__file__).parent / "_releases"  # the wheel ships dataset/ here
SOURCE_TREE = Path(__file__).resolve().parents[2] / "dataset"  # editable install of a checkout


class ReleaseError(ClaimtrackError):
    """A release cannot be made: version taken, too small for its changes, bad version."""


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = SEMVER.match(text)
        if not match:
            raise InputError(
                f"`{text}` is not a version X.Y.Z", hint="use semantic versioning, e.g. 1.0.0"
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


# ---------------------------------------------------------------- finding releases


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
        raise InputError(f"there is no release {version}", hint="releases: " + ", ".join(found))
    return found[version]


def read_tables(folder: Path) -> dict[str, pl.DataFrame]:
    """The tables a release holds (older releases may lack tables added since), as released."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        return {name: pl.read_parquet(folder / f"{name}.parquet") for name in manifest["tables"]}
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError) as error:
        raise InputError(
            f"release {folder.name} cannot be read: {error}",
            path=folder,
            hint=f"run `claimtrack verify {folder.name}`",
        ) from None


def _seed_metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """Seed metadata of a release: `seeds/<id>.meta.json` (1.0.0 and 1.1.0 wrote
    `seeds/<id>.json`, next to `.txt` texts); an archived JSON text is never taken for it."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((folder / "seeds").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if isinstance(data, dict) and {"id", "sha256", "text_file"} <= data.keys():
            found[str(data["id"])] = data
    return found


def read_claims(folder: Path) -> dict[str, dict[str, Any]]:
    lines = (folder / "claims.jsonl").read_text("utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines) if record}


def _columns() -> dict[str, str]:
    return {f"{t.name}.{c.name}": str(c.dtype) for t in TABLES.values() for c in t.columns}


# ---------------------------------------------------------------- diff


def _worktree(dataset: Dataset, jobs: int = 1) -> tuple[list[Claim], list[SourceDocument]]:
    report = validate_all(dataset, jobs=jobs)
    if not report.ok:
        raise InvalidDataset(report.findings, path=dataset.root)
    return report.claims, report.seeds


def _claim_json(claim: Claim) -> dict[str, Any]:
    result: dict[str, Any] = claim.model_dump(mode="json")
    return result


Snapshot = tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, dict[str, Any]]]


def snapshot(dataset: Dataset, name: str, jobs: int = 1) -> Snapshot:
    """Claims (as JSON records), columns and seed metadata of a release or the working tree."""
    if name == WORKTREE:
        claims, seeds = _worktree(dataset, jobs)
        return (
            {c.id: _claim_json(c) for c in claims},
            _columns(),
            {s.id: s.model_dump(mode="json") for s in seeds},
        )
    folder = release_path(dataset, name)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        columns = {
            f"{table}.{col['name']}": col["type"]
            for table, info in manifest["tables"].items()
            for col in info["columns"]
        }
        metadata = _seed_metadata(folder)
        return read_claims(folder), columns, metadata
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise InputError(
            f"release {name} cannot be read: {error!r}",
            path=folder,
            hint=f"run `claimtrack verify {name}`",
        ) from None


def diff(dataset: Dataset, old: str, new: str, *, jobs: int = 1) -> Diff:
    """Semantic diff between two releases, or a release and the working tree (`worktree`)."""
    a, b = snapshot(dataset, old, jobs), snapshot(dataset, new, jobs)
    return compare(old, new, a[0], b[0], a[1], b[1], a[2], b[2])


# ---------------------------------------------------------------- building


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_commit(root: Path) -> str:
    """The git commit the release is built from, `+dirty` when claims or seeds have changes."""
    try:
        head = git(root, "rev-parse", "HEAD").strip()
        dirty = git(root, "status", "--porcelain", "--", "claims", "seeds").strip()
    except InputError:
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.rechunk().write_parquet(
        buffer, compression="zstd", compression_level=3, statistics=True, row_group_size=100_000
    )
    return buffer.getvalue()


_FRICTIONLESS = {
    "String": "string",
    "Boolean": "boolean",
    "Date": "date",
    "UInt32": "integer",
    "Int64": "integer",
}


def _field(name: str, dtype: pl.DataType, description: str, *, flat_lists: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "description": description}
    if isinstance(dtype, pl.Enum):
        out.update(type="string", constraints={"enum": dtype.categories.to_list()})
    elif isinstance(dtype, pl.Decimal):
        out["type"] = "number"
    elif isinstance(dtype, pl.Datetime):
        out["type"] = "datetime"
    elif isinstance(dtype, pl.List):
        out["type"] = "string" if flat_lists else "array"
    else:
        out["type"] = _FRICTIONLESS.get(str(dtype), "string")
    return out


def _datapackage(version: str, date: str, files: dict[str, bytes]) -> bytes:
    """A Frictionless Data Package describing the CSV tables (the Parquet files hold the same
    rows with native types; manifest.json lists every file)."""
    resources: list[dict[str, Any]] = []
    for name, table in TABLES.items():
        path = f"{name}.csv"
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description + " Lists are joined with `; `.",
                "bytes": len(files[path]),
                "hash": f"sha256:{_sha256(files[path])}",
                "schema": {
                    "fields": [
                        _field(c.name, c.dtype, c.description, flat_lists=True)
                        for c in table.columns
                    ],
                    "primaryKey": list(table.key),
                },
            }
        )
    body = {
        "name": "claimtrack-dataset",
        "title": "claimtrack claims dataset",
        "version": version,
        "created": f"{date}T00:00:00Z",
        "description": "Claims with their attribution chain, verbatim quotes from archived "
        "sources, confirmation status and its history. Each table is also in Parquet; "
        "claims.jsonl holds the full claim records.",
        "resources": resources,
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _data_card(
    version: str, date: str, tables: dict[str, pl.DataFrame], seeds: list[SourceDocument]
) -> bytes:
    status = tables["claims"].group_by(pl.col("status").cast(pl.String)).len().sort("status")
    lines = [
        "---",
        "pretty_name: claimtrack claims dataset",
        "license: other",
        "language:",
        *sorted({f"- {s.language.split('-')[0]}" for s in seeds} | {"- en"}),
        "tags:",
        "- fact-checking",
        "- claims",
        "configs:",
        "- config_name: claims",
        "  data_files: claims.parquet",
        "---",
        "",
        f"# claimtrack claims dataset {version}",
        "",
        f"Released {date}. {tables['claims'].height} claims from {len(seeds)} archived "
        "source(s). Each claim is typed, attributed (who asserted it, whom they cite, who "
        "reported and relayed it), backed by verbatim quotes whose offsets point into the "
        "archived text, and carries its confirmation status and history.",
        "",
        "## Load",
        "",
        "```python",
        "import claimtrack",
        f'claims = claimtrack.load(version="{version}")',
        f'tables = claimtrack.load_tables(version="{version}")',
        "```",
        "",
        "or read the Parquet files with any Parquet reader (Polars, DuckDB, pyarrow).",
        "",
        "## Files",
        "",
        "| file | rows | what |",
        "|---|---|---|",
        *[
            f"| `{n}.parquet`, `{n}.csv` | {tables[n].height} | {t.description} |"
            for n, t in TABLES.items()
        ],
        f"| `claims.jsonl` | {tables['claims'].height} | Full claim records, one JSON per line. |",
        "| `datapackage.json` | | Frictionless Data Package describing the CSV tables. |",
        "| `seeds/` | | Archived source texts, byte for byte. |",
        "| `manifest.json` | | SHA-256 and size of every file; verify with `claimtrack verify`. |",
        "",
        "## Status counts",
        "",
        "| status | claims |",
        "|---|---|",
        *[f"| {row[0]} | {row[1]} |" for row in status.iter_rows()],
        "",
        "## Vocabularies",
        "",
        *[f"- `{v.__name__}`: " + ", ".join(f"`{m.value}`" for m in v) for v in VOCABULARIES],
        "",
        "## Sources and rights",
        "",
        *[
            f"- `{s.id}`: {s.title} ({s.language}; author: {s.author or 'unknown'}; publisher: "
            f"{s.publisher or 'unknown'}; published: {s.published or 'unknown'}). Rights: "
            f"{s.rights}"
            for s in seeds
        ],
        "",
        "The licence of the claim records has not been chosen yet (`license: other`); the "
        "archived source texts keep their owners' rights. Translations marked `machine` were "
        "not reviewed by a professional translator.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def build_files(
    dataset: Dataset,
    claims: list[Claim],
    seeds: list[SourceDocument],
    version: str,
    date: str,
    commit: str,
) -> dict[str, bytes]:
    """Every file of a release, by relative path, in memory (a few MB for large datasets)."""
    tables = build_tables(claims, seeds)
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files[f"{name}.parquet"] = _parquet(frame)
        files[f"{name}.csv"] = flat_csv(frame).encode("utf-8")
    ordered = sorted(claims, key=lambda c: c.id)
    files["claims.jsonl"] = "".join(
        json.dumps(_claim_json(c), ensure_ascii=False, separators=(",", ":")) + "\n"
        for c in ordered
    ).encode("utf-8")
    for seed in sorted(seeds, key=lambda s: s.id):
        meta, text = f"seeds/{seed.id}.meta.json", f"seeds/{seed.text_file}"
        if meta in files or text in files or meta == text:
            raise ReleaseError(
                f"two files of the release would be {text}",
                hint="give each seed its own id and text file name",
            )
        files[meta] = (seed.model_dump_json(indent=2) + "\n").encode("utf-8")
        files[text] = (dataset.seeds_dir / seed.text_file).read_bytes()
    files["datapackage.json"] = _datapackage(version, date, files)
    files["README.md"] = _data_card(version, date, tables, seeds)
    manifest = {
        "name": "claimtrack-dataset",
        "version": version,
        "release_date": date,
        "schema_version": SCHEMA_VERSION,
        "claimtrack_version": TOOL_VERSION,
        "polars_version": pl.__version__,
        "source_commit": commit,
        "tables": {
            name: {
                "rows": frame.height,
                "columns": [{"name": c.name, "type": str(c.dtype)} for c in TABLES[name].columns],
            }
            for name, frame in tables.items()
        },
        "files": [
            {"path": path, "bytes": len(data), "sha256": _sha256(data)}
            for path, data in sorted(files.items())
        ],
    }
    files[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


@dataclass(frozen=True)
class ReleaseResult:
    version: str
    path: Path
    diff: Diff | None
    files: int


def plan_version(
    previous: Version | None, change: Diff | None, *, version: str | None, bump: Bump | None
) -> Version:
    """The version to release: given, or bumped; refused when too small for the changes."""
    if version is not None:
        target = Version.parse(version)
    elif previous is None:
        target = Version(1, 0, 0)
    else:
        target = previous.bumped(bump or (change.bump if change else "patch"))
    if previous is not None and target <= previous:
        raise ReleaseError(
            f"version {target} is not after the latest release {previous}",
            hint=f"use --bump, or a version above {previous}",
        )
    if previous is not None and change is not None:
        needed = change.bump
        if needed == "none":
            raise ReleaseError(
                "nothing changed since release " + str(previous),
                hint="edit the dataset before cutting a release",
            )
        have = target.level_over(previous)
        if ORDER[have] < ORDER[needed]:
            why = "; ".join(r for b, r in change.reasons() if ORDER[b] > ORDER[have])
            raise ReleaseError(
                f"version {target} is a {have} bump, but the changes need a {needed} bump: {why}",
                hint=f"release {previous.bumped(needed)} (--bump {needed})",
            )
    return target


def release(
    dataset: Dataset,
    *,
    version: str | None = None,
    bump: Bump | None = None,
    date: str | None = None,
    changelog: bool = True,
    jobs: int = 1,
) -> ReleaseResult:
    """Validate, diff against the latest release, and publish `dataset/<version>/` atomically.

    ``jobs``: worker processes for validation (see :func:`validation.validate_all`)."""
    claims, seeds = _worktree(dataset, jobs)
    existing = {
        k: v for k, v in release_dirs(dataset).items() if v.parent == dataset.root / "dataset"
    }
    previous = Version.parse(list(existing)[-1]) if existing else None
    change = diff(dataset, str(previous), WORKTREE, jobs=jobs) if previous else None
    target = plan_version(previous, change, version=version, bump=bump)
    final = dataset.root / "dataset" / str(target)
    if final.exists():
        raise ReleaseError(
            f"release {target} already exists; releases are never overwritten",
            path=final,
            hint="release a new version",
        )
    day = date or dt.datetime.now(dt.UTC).date().isoformat()
    files = build_files(dataset, claims, seeds, str(target), day, source_commit(dataset.root))
    _publish(final, files)
    if changelog:
        try:
            _write_changelog(dataset.root / "CHANGELOG.md", str(target), day, change, len(claims))
        except (OSError, UnicodeError) as error:
            raise ReleaseError(
                f"release {target} was published, but CHANGELOG.md could not be updated: {error}",
                path=dataset.root / "CHANGELOG.md",
                hint="add the section by hand (see `claimtrack diff`)",
            ) from None
    return ReleaseResult(str(target), final, change, len(files))


def _publish(final: Path, files: dict[str, bytes]) -> None:
    """Write into a hidden staging folder beside ``final`` and rename it into place."""
    staging = final.parent / f".staging-{final.name}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        staging.rename(final)  # atomic; fails if ``final`` appeared meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_changelog(path: Path, version: str, date: str, change: Diff | None, count: int) -> None:
    if change is None:
        body = f"## [{version}] - {date}\n\n### Dataset\n\n- First release: {count} claims.\n"
    else:
        body = as_markdown(change, heading=f"## [{version}] - {date}").replace(
            "### ", "### Dataset: "
        )
    text = path.read_text("utf-8") if path.exists() else "# Changelog\n\n## [Unreleased]\n"
    if f"## [{version}]" in text:
        return  # the section is there already (written by hand, or by an earlier attempt)
    marker = re.search(r"^## \[(?!Unreleased)", text, flags=re.MULTILINE)
    at = marker.start() if marker else len(text)
    atomic_write_text(
        path, text[:at].rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n\n" + text[at:]
    )


# ---------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def verify(folder: Path) -> list[Problem]:
    """Recompute every hash, size and row count of a release against its manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        entries = [(str(e["path"]), int(e["bytes"]), str(e["sha256"])) for e in manifest["files"]]
        tables = {str(k): int(v["rows"]) for k, v in manifest["tables"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return [Problem(MANIFEST, f"the manifest is unreadable or malformed: {error!r}")]
    problems: list[Problem] = []
    root = folder.resolve()
    for name, _, _ in entries:
        if not (folder / name).resolve().is_relative_to(root):
            problems.append(Problem(name, "the manifest names a file outside the release"))
    if problems:
        return problems
    manifest = {
        "files": [{"path": p, "bytes": b, "sha256": h} for p, b, h in entries],
        "tables": {k: {"rows": v} for k, v in tables.items()},
    }
    listed = {entry["path"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.is_file():
            problems.append(Problem(entry["path"], "missing"))
            continue
        data = path.read_bytes()
        if len(data) != entry["bytes"]:
            problems.append(
                Problem(entry["path"], f"size {len(data)} bytes, manifest says {entry['bytes']}")
            )
        if _sha256(data) != entry["sha256"]:
            problems.append(Problem(entry["path"], "SHA-256 differs from the manifest"))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    problems += [Problem(p, "not in the manifest") for p in sorted(present - listed - {MANIFEST})]
    for table, info in manifest["tables"].items():
        path = folder / f"{table}.parquet"
        if path.is_file() and not any(p.path == f"{table}.parquet" for p in problems):
            rows = pl.scan_parquet(path).select(pl.len()).collect().item()
            if rows != info["rows"]:
                problems.append(Problem(path.name, f"{rows} rows, manifest says {info['rows']}"))
    return problems
