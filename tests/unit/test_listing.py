"""The listing of a dataset's record folders made ahead in a child process is the listing made
in-process, or is not used at all."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from claimtrack.store import listing
from claimtrack.store.listing import Prefetch, Unusable, list_entries
from claimtrack.store.stats import file_stats

CLAIM = "id: {name}\nstatement: s\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Claims in nested folders, a hidden folder, a link, a seed and a schema; on Linux, a
    name that is not UTF-8."""
    root = tmp_path / "data"
    for rel in ("claims/a.yaml", "claims/desk/b.yaml", "claims/desk/2024/c.yaml", "seeds/s.yaml"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CLAIM.format(name=path.stem), "utf-8")
    (root / "claims" / ".hidden").mkdir()
    (root / "claims" / ".hidden" / "d.yaml").write_text("x", "utf-8")
    (root / "schemas").mkdir()
    (root / "schemas" / "claim.schema.json").write_text("{}", "utf-8")
    (root / "claims" / "link.yaml").symlink_to(root / "claims" / "a.yaml")
    if sys.platform.startswith("linux"):
        (root / "claims" / os.fsdecode(b"caf\xe9.yaml")).write_text("x", "latin-1")
    return root


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("path")


def test_the_childs_listing_is_the_one_made_here(tree: Path) -> None:
    with Prefetch(tree) as prefetch:
        ahead = list(prefetch.entries())
    assert ahead == list(list_entries(tree))
    paths = {f"{folder}/{name}" for folder, names, *_ in ahead for name in names}
    assert "claims/desk/2024/c.yaml" in paths and "claims/.hidden" in paths
    assert_frame_equal(_sorted(file_stats(tree, Prefetch(tree))), _sorted(file_stats(tree)))


def test_a_folder_that_is_a_link_is_an_entry_always_new(tree: Path) -> None:
    (tree / "schemas").rename(tree / "real-schemas")
    (tree / "schemas").symlink_to(tree / "real-schemas")
    with Prefetch(tree) as prefetch:
        ahead = {entry[0]: entry for entry in prefetch.entries()}
    _, names, size, mtime_ns, *_ = ahead["schemas"]
    assert (names, size) == ([""], [-1]) and mtime_ns[0] >= prefetch.started_ns


def test_a_child_that_lists_for_too_long_is_stopped(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "_CHILD", "import time; time.sleep(3); " + listing._CHILD)
    monkeypatch.setattr(listing, "WAIT_S", 0.5)
    with Prefetch(tree) as prefetch:
        child = prefetch._child
        with pytest.raises(Unusable):
            list(prefetch.entries())
    assert child is not None and child.returncode is not None


CHILDREN = {
    "exits with an error": "import sys; sys.exit(1)",
    "writes what is not a listing": "import sys; sys.stdout.buffer.write(b'\\x05' * 64)",
    "lists another folder": (
        "import sys; sys.argv[-1] += '/claims'; sys.path.insert(0, sys.argv[1]); "
        "from claimtrack.store.listing import main; main()"
    ),
    "runs another claimtrack": (
        "import sys; sys.path.append(sys.argv[1]); import claimtrack.store.listing as m; "
        "m._identity = lambda: (m.TAG, '/elsewhere/listing.py', *m._name_encoding()); m.main()"
    ),
    "stops half-way": (
        "import sys, marshal; sys.path.insert(0, sys.argv[1]); "
        "from claimtrack.store.listing import _identity; import os; "
        "r = marshal.dumps((*_identity(), os.fsencode(sys.argv[-1]))); "
        "sys.stdout.buffer.write(len(r).to_bytes(8, 'little') + r)"
    ),
}


@pytest.mark.parametrize("child", CHILDREN.values(), ids=CHILDREN.keys())
def test_a_child_without_a_whole_listing_leaves_it_to_the_caller(
    tree: Path, child: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "_CHILD", child)
    with pytest.raises(Unusable), Prefetch(tree) as prefetch:
        list(prefetch.entries())
    assert_frame_equal(_sorted(file_stats(tree, Prefetch(tree))), _sorted(file_stats(tree)))


def test_the_child_runs_no_module_of_the_current_folder(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    marker = tmp_path / "ran"
    for module in ("dataclasses", "subprocess", "marshal", "stat"):
        (here / f"{module}.py").write_text(
            f"open({str(marker)!r}, 'w').close()\nraise SystemExit(7)\n", "utf-8"
        )
    monkeypatch.chdir(here)
    with Prefetch(tree) as prefetch:
        ahead = list(prefetch.entries())
    assert not marker.exists()
    assert ahead == list(list_entries(tree))


def test_a_listing_not_taken_stops_the_child(tree: Path) -> None:
    with Prefetch(tree) as prefetch:
        child = prefetch._child
        assert child is not None
    assert child.returncode is not None


@pytest.mark.parametrize("host", ["/usr/bin/uwsgi", "/usr/sbin/apache2", ""])
def test_no_child_is_started_where_the_executable_is_not_python(
    tree: Path, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Embedded in a host program, `sys.executable` names the host: it is never started; the
    caller lists the files itself."""
    monkeypatch.setattr(sys, "executable", host)
    with pytest.raises(Unusable), Prefetch(tree) as prefetch:
        list(prefetch.entries())
    assert_frame_equal(_sorted(file_stats(tree, Prefetch(tree))), _sorted(file_stats(tree)))
