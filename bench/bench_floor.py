"""Every row of issue #34's table in one run, beside check-jsonschema (run by hand).

    python bench/bench_floor.py DATASET --cjs /tmp/cjs/bin/check-jsonschema [--repeat 5]
    python bench/bench_floor.py /tmp/bench1m --large        # the million-claim rows, once each

DATASET is a folder from `bench/generate.py`. Each command runs as its own process, as a
user runs it, with a cache folder of this run's own. The dataset is left as it was: a changed
claim is put back; the release this run cuts is a first one, made while the dataset's own are
set aside, and removed after. Wall times are medians where a row says so (the machine is
shared); the peak is the kernel's (`VmHWM`) of the command's own process and, after the slash,
of its largest worker, sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from procpeak import children, peak_kib  # bench/: run as a script, beside it

CT = [sys.executable, "-m", "claimtrack"]
LOAD = "import claimtrack, sys; print(claimtrack.load(sys.argv[1]).height)"
LOAD_VERSION = (
    "import claimtrack, sys; print(claimtrack.load(sys.argv[1], version=sys.argv[2]).height)"
)


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, the command's own peak and its largest descendant's (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peaks: dict[int, int] = {}

    def sample() -> None:
        while proc.poll() is None:
            pending = [proc.pid]
            while pending:
                pid = pending.pop()
                peaks[pid] = max(peaks.get(pid, 0), peak_kib(pid))
                pending += children(pid)
            time.sleep(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}: {err.decode()[-2000:]}")
    own = peaks.pop(proc.pid, 0)
    return wall, own // 1024, max(peaks.values(), default=0) // 1024


class Table:
    def __init__(self) -> None:
        self.rows: list[str] = []

    def add(self, step: str, times: list[tuple[float, int, int]], note: str = "") -> float:
        wall = statistics.median(t for t, _, _ in times)
        own = max(m for _, m, _ in times)
        worker = max(w for _, _, w in times)
        walls = [t for t, _, _ in times]
        spread = f" (median of {len(walls)}: {min(walls):.2f}–{max(walls):.2f})"
        spread = spread if len(walls) > 1 else ""
        memory = f"{own:,} MiB" + (f" / {worker:,}" if worker else "")
        line = f"| {step} | {wall:.2f} s{spread} | {memory} | {note} |"
        print(line, flush=True)
        self.rows.append(line)
        return wall


TABLE = Table()


def repeat(n: int, make: Callable[[], tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    return [make() for _ in range(n)]


def latest_release(root: Path) -> str:
    found = [p.name for p in (root / "dataset").iterdir() if (p / "manifest.json").is_file()]
    return max(found, key=lambda v: tuple(int(x) for x in v.split(".")))


def claim_files(root: Path) -> list[Path]:
    return sorted((root / "claims").rglob("*.yaml"))


def validation(root: Path, cjs: Path | None, large: bool, env: dict[str, str]) -> None:
    """check-jsonschema, then validate: cold without a cache, filling it, warm."""
    claims = claim_files(root)
    files = len(claims) + len(list((root / "seeds").glob("*.yaml")))
    rate = None
    if cjs:
        sample = [str(p) for p in claims[:4000]]
        schema = str(root / "schemas" / "claim.schema.json")
        times = repeat(3, lambda: run([str(cjs), "--schemafile", schema, *sample]))
        rate = 4000 / TABLE.add("check-jsonschema, 4,000 claim files, one call", times)
    cold = [*CT, "validate", "--root", str(root), "--no-cache", "--format", "json"]
    times = repeat(1 if large else 3, lambda: run(cold))
    wall = statistics.median(t for t, _, _ in times)
    note = f"{files / wall:,.0f} files/s"
    if rate:
        note += f": **{files / wall / rate:.0f}×** check-jsonschema"
    TABLE.add(f"`validate --no-cache`, {files:,} files", times, note)
    validate = [*CT, "validate", "--root", str(root), "--format", "json"]
    TABLE.add("`validate`, filling the cache (and writing the tables)", [run(validate, env)])
    query = [*CT, "query", "--root", str(root), "--limit", "5"]
    TABLE.add("first `query --limit 5` after `validate` filled the cache", [run(query, env)])
    TABLE.add(
        "`validate`, warm, nothing changed", repeat(1 if large else 5, lambda: run(validate, env))
    )
    one = claims[len(claims) // 2]
    kept = one.read_bytes()
    try:
        one.write_bytes(kept.replace(b"statement: ", b"statement: Changed. ", 1))
        time.sleep(2.1)  # out of the racy-timestamp window
        TABLE.add("`validate`, warm, one claim changed", [run(validate, env)])
    finally:
        one.write_bytes(kept)
    time.sleep(2.1)
    run(validate, env)  # the tree as it was, validated again


def interactive(root: Path, n: int, env: dict[str, str]) -> None:
    """query, stats, show and load() of the working tree, after a validation (load() not with
    --large)."""
    query = [*CT, "query", "--root", str(root), "--limit", "5"]
    TABLE.add("first `query` after a claim was changed and put back (one claim patched)",
              [run(query, env)])  # fmt: skip
    TABLE.add("`query --limit 5`, nothing changed", repeat(n, lambda: run(query, env)))
    stats = [*CT, "stats", "--root", str(root)]
    TABLE.add("`stats`, nothing changed", repeat(n, lambda: run(stats, env)))
    claims = claim_files(root)
    show = [*CT, "show", claims[len(claims) // 2].stem, "--root", str(root)]
    TABLE.add("`show ID`", repeat(n, lambda: run(show, env)))
    if n > 1:  # not at a million claims: #34's table has no such row there
        load = [sys.executable, "-c", LOAD, str(root)]
        TABLE.add("`load()` of the tree (a process)", repeat(n, lambda: run(load, env)))


def publishing(root: Path, n: int, env: dict[str, str]) -> None:
    """A first release (the dataset's own releases set aside meanwhile, then put back),
    load(version=), and its site built twice (not with --large)."""
    version = "99.0.0"
    release = [*CT, "release", "--root", str(root), "--version", version, "--no-changelog"]
    aside = root / ".dataset-set-aside-by-bench"
    if (root / "dataset").exists():
        (root / "dataset").rename(aside)
    try:
        TABLE.add("`release`, the first", [run(release, env)])
        loaded = [sys.executable, "-c", LOAD_VERSION, str(root), version]
        TABLE.add("`load(version=)` (a process)", repeat(n, lambda: run(loaded, env)))
        if n == 1:
            return  # a million claims: #34's table has no site there
        site = Path(tempfile.mkdtemp(prefix="ct-site-")) / "site"
        build = [*CT, "site", version, "--root", str(root), "-o", str(site)]
        TABLE.add("`site` of the release", [run(build, env)])
        TABLE.add("`site` again, the same release (nothing rewritten)", [run(build, env)])
        shutil.rmtree(site.parent, ignore_errors=True)
    finally:
        shutil.rmtree(root / "dataset", ignore_errors=True)
        if aside.exists():
            aside.rename(root / "dataset")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--cjs", type=Path, help="check-jsonschema, installed on its own")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--large", action="store_true", help="one run of each row (1M claims)")
    args = parser.parse_args()
    root = args.root.resolve()
    cache = Path(tempfile.mkdtemp(prefix="ct-floor-"))
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache)}
    print(f"{root}: {len(claim_files(root)):,} claims; cache {cache}", flush=True)
    print("| step | wall | peak: command / largest worker | note |\n|---|---:|---:|---|")
    n = 1 if args.large else args.repeat
    validation(root, args.cjs, args.large, env)
    interactive(root, n, env)
    publishing(root, n, env)
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
