"""Run a command and report the peak resident memory of each of its processes (run by hand).

    python bench/procpeak.py COMMAND [ARGS...]

`/usr/bin/time -f %M` gives one figure for a process tree; this reads each process's peak
resident memory as the kernel keeps it (`VmHWM` in `/proc/PID/status`) every 0.2 s, and prints
the wall time, then the peak of the command's own process (and, sampled, of its anonymous
memory: the peak less the file pages it maps, such as a search index's files, which the kernel
can drop) and of each process it started (the validation workers), largest first. Linux only;
what a process reaches in its last 0.2 s is missed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def peak_kib(pid: int, field: str = "VmHWM:") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def main(command: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    anon = 0  # the command's own anonymous memory (not file pages it maps), sampled
    while proc.poll() is None:
        pending = [proc.pid]
        while pending:
            pid = pending.pop()
            peaks[pid] = max(peaks.get(pid, 0), peak_kib(pid))
            if pid == proc.pid:
                anon = max(anon, peak_kib(pid, "RssAnon:"))
            pending += children(pid)
        time.sleep(0.2)
    wall = time.perf_counter() - start
    main_peak = peaks.pop(proc.pid, 0)
    others = sorted(peaks.values(), reverse=True)
    shown = ", ".join(f"{kib // 1024}" for kib in others[:8])
    print(
        f"{wall:.2f} s, exit {proc.returncode}; main {main_peak // 1024} MiB "
        f"(anonymous {anon // 1024} MiB); "
        f"{len(others)} child processes, peaks MiB: {shown or '-'}"
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
