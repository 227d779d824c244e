"""Where the time of one `claimtrack match` goes, phase by phase, in process (run by hand).

    CLAIMTRACK_CACHE_DIR=CACHE python bench/profile_match.py DATASET SOURCE

Run it after `claimtrack match` has stored the tables and built the index in CACHE; it prints
each phase's seconds and the process's resident memory (MiB) after it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from claimtrack.store.stats import file_stats
from claimtrack.tables.kept import TableStore
from claimtrack.tables.load import refresh_stored, resolve
from claimtrack.track import run
from claimtrack.track.index import ClaimIndex
from claimtrack.validate.cache import default_dir


def _rss_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


class _Clock:
    def __init__(self) -> None:
        self.at = time.perf_counter()

    def mark(self, what: str) -> None:
        now = time.perf_counter()
        print(f"{what}: {now - self.at:.2f} s, {_rss_mib()} MiB", flush=True)
        self.at = now


def main(root: Path, source: Path) -> None:
    clock = _Clock()
    dataset = resolve(root, None).dataset
    assert dataset is not None
    cache = default_dir()
    store = TableStore(cache, dataset.root)
    state = store.state()
    now = file_stats(dataset.root)
    clock.mark(f"listing ({now.height:,} entries)")
    changes = store.changes(state, now) if state is not None else None
    clock.mark(f"compared with the stored listing ({changes})")
    del now
    kept = refresh_stored(dataset, cache)
    clock.mark("stored tables brought up to date (listed again)")
    scans = store.scan(kept) if kept is not None else None
    assert kept is not None and scans is not None
    index = ClaimIndex.for_dataset(cache, dataset.root)
    update = index.update(scans, kept.get("parquet"))
    clock.mark(f"index brought up to date ({update})")
    found = run._propose_all(scans, index, [run._file(source)], None)
    clock.mark(f"proposed ({found.passages} passages, {len(found.matches)} proposals)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
