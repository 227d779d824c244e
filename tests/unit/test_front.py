"""`claimtrack.load()` lists a working tree in a child process only when the stored tables will
be compared with that listing, and only while the loader is still to be imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.store.listing import Prefetch
from claimtrack.tables import front


def _started(root: object, **options: object) -> bool:
    with front.listing_ahead(root, **options) as prefetch:
        return isinstance(prefetch, Prefetch)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(front, "_imported", lambda: False)  # as in a fresh process
    (tmp_path / "claims").mkdir()
    return tmp_path


def test_a_working_tree_is_listed_ahead(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _started(tree)
    assert _started(str(tree))
    monkeypatch.chdir(tree)
    assert _started(None)


@pytest.mark.parametrize(
    "options", [{"version": "1.0.0"}, {"version": "latest"}, {"cache": False}, {"cache": 0}]
)
def test_nothing_is_listed_for_a_release_or_without_the_cache(
    tree: Path, options: dict[str, object]
) -> None:
    assert not _started(tree, **options)


@pytest.mark.parametrize(
    "url", ["https://example.org/data/1.0.0/", "file:///tmp/1.0.0", "s3://b/k"]
)
def test_nothing_is_listed_for_a_url(tree: Path, url: str) -> None:
    assert not _started(url)


def test_nothing_is_listed_for_a_release_folder_even_partitioned(tree: Path) -> None:
    (tree / "manifest.json").write_text("{}", "utf-8")  # its parts in claims/
    assert not _started(tree)
    assert not _started(tree / "elsewhere")
    assert not _started(42)


def test_nothing_is_listed_once_the_loader_is_imported(tmp_path: Path) -> None:
    """In a long-lived process (a notebook) there are no imports left to overlap."""
    (tmp_path / "claims").mkdir()
    import claimtrack.tables.load  # noqa: F401, PLC0415 - the loader imported

    assert not _started(tmp_path)
