"""A script that calls claimtrack without `if __name__ == "__main__":` gets a clear error.

Worker processes are spawned: each imports the script again, runs its call to claimtrack, and
stops when that call tries to start workers of its own. The parent must see them die and say
why, however much it hands them (the seeds' texts, a file's bytes), not wait for ever.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from claimtrack.exc import WorkersStopped
from claimtrack.site.workers import workers
from claimtrack.validate.runner import PARALLEL_MIN_FILES

from .test_cache_jobs import many_claims

BIG = 256 * 1024  # four times what a Linux pipe holds


def unguarded(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """``body`` run as a script of its own, at its top level."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(body), "utf-8")
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "CLAIMTRACK_CACHE_DIR": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,  # the parent used to wait for ever
        env=env,
        cwd=tmp_path,
        check=False,
    )


def long_named_seeds(root: Path, count: int) -> None:
    """``count`` copies of the seed with ids of 122 characters: every worker is handed where
    each seed's text is, more than a pipe holds in all."""
    meta = next((root / "seeds").glob("*.yaml"))
    text = meta.with_suffix(".txt")
    for i in range(count):
        name = f"copy-{i:04d}-" + "long" * 28
        shutil.copyfile(text, meta.with_name(f"{name}.txt"))
        copied = meta.read_text("utf-8").replace(meta.stem, name)
        meta.with_name(f"{name}.yaml").write_text(copied, "utf-8")


def test_validation_with_workers_from_an_unguarded_script_stops_with_the_fix(
    dataset: Path, tmp_path: Path
) -> None:
    many_claims(dataset, PARALLEL_MIN_FILES + 50)
    long_named_seeds(dataset, 300)
    done = unguarded(
        tmp_path,
        f"""
        from pathlib import Path
        from claimtrack.store.layout import Dataset
        from claimtrack.validate.check import check
        check(Dataset.open(Path({str(dataset)!r})), jobs=2)
        """,
    )
    assert done.returncode != 0
    assert "WorkersStopped: the validation worker processes stopped unexpectedly" in done.stderr
    assert list((tmp_path / "tmp").iterdir()) == []  # the context's file is removed


def test_a_bounded_read_from_an_unguarded_script_is_refused_not_hung(tmp_path: Path) -> None:
    done = unguarded(
        tmp_path,
        f"""
        from pathlib import Path
        from claimtrack.bounded import run_bounded
        run_bounded(len, b"x" * {BIG}, path=Path("page.html"), hint="try again")
        """,
    )
    assert done.returncode != 0
    assert "page.html: reading it stopped its worker process" in done.stderr


def test_the_sites_workers_dying_is_told_as_such() -> None:
    stopped = pytest.raises(WorkersStopped, match="site's worker processes stopped")
    with stopped as raised, workers(2):
        raise BrokenProcessPool("a worker was killed")
    assert '__name__ == "__main__"' in raised.value.hint
