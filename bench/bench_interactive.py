"""Interactive commands on a large working tree: query, stats, show and load(), cold and warm.

Usage: python bench/bench_interactive.py DATASET [CACHE_DIR]

Runs each command as a separate process (as a user would) with its own cache folder, and
reports its wall time and peak memory (the child's own maximum resident set size):

1. first run: empty cache (validation and the tables built from scratch);
2. nothing changed: the stored tables are read;
3. one claim file changed: only its rows are rebuilt.

The warm states are measured REPEAT times (default 5, `--repeat N` as the third argument); the
median and the slowest run are printed (the machine is shared and noisy), with the largest peak.

The dataset is left as it was (the changed file is restored).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

LOAD = "import claimtrack, sys; print(claimtrack.load(sys.argv[1]).height)"


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MiB (the child's own maximum resident set) of one process."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: become the command
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvpe(argv[0], argv, env)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {code}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    cache = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="ct-bench-"))
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(cache)}
    claims = sorted((root / "claims").glob("*.yaml"))
    one = claims[len(claims) // 2]
    ct = [sys.executable, "-m", "claimtrack"]
    commands = {
        "query --status reported --columns claim_id": [
            *ct,
            "query",
            "--root",
            str(root),
            "--status",
            "reported",
            "--columns",
            "claim_id",
            "--format",
            "csv",
        ],
        "stats": [*ct, "stats", "--root", str(root), "--format", "csv"],
        f"show {one.stem}": [*ct, "show", one.stem, "--root", str(root), "--format", "json"],
        "load()": [sys.executable, "-c", LOAD, str(root)],
    }
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    print(f"dataset: {root} ({len(claims):,} claims); cache: {cache}; warm runs: {repeat}")
    print(f"{'command':<48} {'state':<16} {'median s':>9} {'max s':>7} {'peak MiB':>9}")
    original = one.read_bytes()
    try:
        for state in ("first run", "nothing changed", "one changed"):
            for name, argv in commands.items():
                runs = []
                for _ in range(1 if state == "first run" else repeat):
                    if state == "one changed":
                        one.write_bytes(original.replace(b"statement: ", b"statement: Edited. ", 1))
                    runs.append(measured(argv, env))
                    if state == "one changed":  # restore, and bring the store back
                        one.write_bytes(original)
                        measured(commands["stats"], env)
                seconds = sorted(s for s, _ in runs)
                peak = max(p for _, p in runs)
                median = seconds[len(seconds) // 2]
                print(f"{name:<48} {state:<16} {median:9.2f} {seconds[-1]:7.2f} {peak:9.0f}")
    finally:
        one.write_bytes(original)


if __name__ == "__main__":
    main()
