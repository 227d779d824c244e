"""Finding claim files by name among many, ignoring case, in one search."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.store.layout import DataFile, same_names


def test_same_names_ignore_case_and_folders_and_keep_the_listing_order() -> None:
    names = ["b/X.yaml", "x.yaml", "xx.yaml", "a/bx.yaml", "STRASSE.yaml", "c/d/Straße.yaml"]
    assert same_names(names, {"x.yaml"}) == ["b/X.yaml", "x.yaml"]
    assert same_names(names, {"strasse.yaml"}) == ["STRASSE.yaml", "c/d/Straße.yaml"]
    assert same_names(names, {"a.yaml"}) == []
    assert same_names([], {"x.yaml"}) == []


def test_same_names_with_a_line_break_in_a_name() -> None:
    names = ["odd\nx.yaml", "X.yaml", "x.yaml\nx.yaml"]
    assert same_names(names, {"x.yaml"}) == ["X.yaml"]
    assert same_names(names, {"odd\nx.yaml"}) == ["odd\nx.yaml"]


def test_same_names_escapes_what_a_pattern_would_read() -> None:
    names = ["a+b.yaml", "aab.yaml", "a.b.yaml", "axb.yaml"]
    assert same_names(names, {"a+b.yaml"}) == ["a+b.yaml"]
    assert same_names(names, {"a.b.yaml"}) == ["a.b.yaml"]


def test_same_names_finds_several_wanted_names_at_either_end_of_the_listing() -> None:
    names = ["x.yaml", "m/ab.yaml", "ab.yaml.yaml", "k/x.yaml", "zab.yaml", "AB.yaml"]
    assert same_names(names, {"x.yaml", "ab.yaml"}) == [
        "x.yaml",
        "m/ab.yaml",
        "k/x.yaml",
        "AB.yaml",
    ]
    assert same_names(["only.yaml"], {"only.yaml"}) == ["only.yaml"]


def test_same_names_with_many_wanted_names_finds_what_each_search_finds() -> None:
    names = [f"{i % 7}/N{i}.yaml" for i in range(200)] + ["Straße.yaml", "x\ny.yaml"]
    wanted = {f"n{i}.yaml" for i in range(0, 200, 9)} | {"strasse.yaml"}
    one_by_one = {name for base in wanted for name in same_names(names, {base})}
    found = same_names(names, wanted)
    assert set(found) == one_by_one and len(found) == len(wanted)
    assert found == [name for name in names if name in one_by_one]  # in the listing's order


@pytest.mark.parametrize(
    "name", ["a.yaml", "a.b.yaml", ".yaml", "x.", "noext", "d/e/f.yaml", "é.yaml"]
)
def test_a_listed_files_stem_is_its_paths(name: str) -> None:
    listed = DataFile.listed(Path("claims"), name, "claim", name)
    assert listed.stem == listed.path.stem == DataFile(Path("claims") / name, "claim", name).stem
    assert listed == DataFile(Path("claims") / name, "claim", name)


@pytest.mark.parametrize("root", [".", "data", "data/../data"])
def test_a_files_absolute_path_is_the_paths(
    root: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The string a run keys the cache's digests by is `str(path.absolute())`, made without a
    Path for each file (listed or named on the command line)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    folder = Path(root) / "claims"
    files = [
        DataFile.listed(folder, "2026/11/c1.yaml", "claim", "shown"),
        DataFile.listed(folder, "c2.yaml", "claim", "shown"),
        DataFile(Path(root) / "claims" / "c3.yaml", "claim", "shown"),
        DataFile.listed(Path("/"), "c4.yaml", "claim", "shown"),
    ]
    bases: dict[Path, str] = {}
    assert [f.absolute(bases) for f in files] == [str(f.path.absolute()) for f in files]
