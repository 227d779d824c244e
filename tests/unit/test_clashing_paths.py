"""Ids that clash ignoring case, found on the listing's column (as Python's casefold finds
them), for a warm run."""

from __future__ import annotations

import polars as pl

from claimtrack.store.layout import folded
from claimtrack.store.stats import STAT_COLUMNS, clashing_paths, record_files


def listing(paths: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"path": paths, **{c: [0] * len(paths) for c in STAT_COLUMNS}},
        schema={"path": pl.String, **dict.fromkeys(STAT_COLUMNS, pl.Int64)},
    )


def by_python(paths: list[str], folder: str) -> list[str]:
    ours = sorted(p for p in paths if p.startswith(f"{folder}/") and p.endswith(".yaml"))
    if folder == "seeds":
        ours = [p for p in ours if "/" not in p[len("seeds/") :]]
    ids = folded([p[p.rfind("/") + 1 : -len(".yaml")] for p in ours])
    return [p for p, key in zip(ours, ids, strict=True) if ids.count(key) > 1]


PATHS = [
    "claims/a.yaml",
    "claims/desk/A.yaml",  # a clash across folders, by case
    "claims/b.yaml",
    "claims/other/b.yaml",  # the same name in another folder
    "claims/straße.yaml",
    "claims/STRASSE.yaml",  # casefold makes ß `ss`
    "claims/c.yaml",
    "claims/c.yml",  # not a record file
    "claims/notes.txt",
    "seeds/S1.yaml",
    "seeds/s1.yaml",
    "seeds/s1.txt",
    "seeds/deep/s2.yaml",  # seeds are not nested
    "seeds/s2.yaml",
]


def test_clashes_are_those_casefold_finds() -> None:
    for folder in ("claims", "seeds"):
        assert clashing_paths(record_files(listing(PATHS), folder)) == by_python(PATHS, folder)
    assert clashing_paths(record_files(listing(PATHS), "claims")) == [
        "claims/STRASSE.yaml",
        "claims/a.yaml",
        "claims/b.yaml",
        "claims/desk/A.yaml",
        "claims/other/b.yaml",
        "claims/straße.yaml",
    ]


def test_slugs_alone_never_clash_unless_equal() -> None:
    paths = [f"claims/{i % 3}/claim-{i:04d}.yaml" for i in range(300)]
    assert clashing_paths(record_files(listing(paths), "claims")) == []
    paths.append("claims/x/claim-0007.yaml")
    assert clashing_paths(record_files(listing(paths), "claims")) == [
        "claims/1/claim-0007.yaml",
        "claims/x/claim-0007.yaml",
    ]
