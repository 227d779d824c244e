"""Where a release's memory goes: resident memory at each phase of one release (run by hand).

    CLAIMTRACK_CACHE_DIR=... python bench/release_phases.py DATASET VERSION [PART_SIZE]

Runs `claimtrack.release.publish.release` in this process (2 worker processes) and prints, after
validation, every other rendered chunk, and around `finish`, the main process's resident memory
now and its peak so far (sampled every 50 ms by a thread). It wraps three functions of the
library to know the phase; nothing else changes. Linux only (reads /proc). `import claimtrack`
sets `_RJEM_MALLOC_CONF` for Polars' allocator, as the command runs, unless it is set already.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from claimtrack.release import publish
from claimtrack.release.writer import ReleaseWriter, RenderedChunk
from claimtrack.store.layout import Dataset

START = time.perf_counter()
PEAK = [0]


def _rss_mib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def _sample() -> None:
    while True:
        PEAK[0] = max(PEAK[0], _rss_mib())
        time.sleep(0.05)


def _mark(label: str) -> None:
    now = time.perf_counter() - START
    print(f"{now:7.1f} s  {label:24} rss {_rss_mib():5} MiB  peak {PEAK[0]:5} MiB", flush=True)


def _wrap() -> None:
    validate, add, finish = (
        publish.validate_dataset,
        ReleaseWriter.add_rendered,
        ReleaseWriter.finish,
    )
    count = [0]

    def validated(*args: Any, **kwargs: Any) -> Any:
        report = validate(*args, **kwargs)
        _mark("validated")
        return report

    def added(self: ReleaseWriter, chunk: RenderedChunk) -> Any:
        lines = add(self, chunk)
        count[0] += 1
        if count[0] % 2 == 0:
            _mark(f"chunk {count[0]}")
        return lines

    def finished(self: ReleaseWriter, *args: Any) -> int:
        _mark("before finish")
        files = finish(self, *args)
        _mark("finished")
        return files

    publish.validate_dataset = validated  # type: ignore[assignment]
    ReleaseWriter.add_rendered = added  # type: ignore[method-assign,unused-ignore]
    ReleaseWriter.finish = finished  # type: ignore[method-assign,unused-ignore]


def main(root: str, version: str, part: int) -> None:
    threading.Thread(target=_sample, daemon=True).start()
    _wrap()
    _mark("start")
    result = publish.release(
        Dataset.open(Path(root)),
        version=version,
        date="2026-11-29",
        changelog=False,
        jobs=2,
        part_claims=part,
    )
    _mark(f"released {result.version}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 50_000)
