"""Memory Polars frees is given back to the system at once, so a command's peak is what it
holds, not what it held a moment ago (claimtrack sets Polars' allocator so on import)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    if sys.argv[1] == "claimtrack first":
        import claimtrack
    import polars as pl

    def rss_mib():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024

    base = rss_mib()
    frame = pl.int_range(0, 10_000_000, eager=True).to_frame("n").with_columns(m=pl.col("n") * 2)
    held = rss_mib()
    del frame
    print(base, held, rss_mib())
    """
)


def _peaks(order: str, **env: str) -> tuple[int, int, int]:
    environ = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"} | env
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, order],
        capture_output=True,
        text=True,
        check=True,
        env=environ,
    )
    base, held, after = (int(n) for n in done.stdout.split())
    return base, held, after


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; jemalloc on Linux")
def test_a_frame_dropped_gives_its_memory_back_at_once() -> None:
    base, held, after = _peaks("claimtrack first")
    assert held - base > 100  # MiB: two columns of ten million integers
    assert after - base < (held - base) / 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; jemalloc on Linux")
def test_the_users_own_allocator_setting_is_kept() -> None:
    base, held, after = _peaks("claimtrack first", _RJEM_MALLOC_CONF="dirty_decay_ms:60000")
    assert after - base > (held - base) / 2  # kept for a minute, as the user asked
