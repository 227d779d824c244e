"""Speed and memory of `claimtrack match` on a generated dataset (run by hand).

    python bench/bench_match.py DATASET [--words 2000] [--runs 3] [--cache DIR]

DATASET is made by `bench/generate.py` (e.g. 100k claims). The steps, each in a fresh process
through the CLI (`claimtrack match`), with its wall time and peak memory (`bench/procpeak.py`):

1. the first `match` after the stored tables exist: the index is built;
2. `match` of a source of about ``--words`` words, the index existing (median of ``--runs``);
3. one claim file changed, then `match`: the tables patched and the index updated (median);
4. the index update alone, in process (`ClaimIndex.update` after one claim changed, from
   lazy scans of the stored tables, as `match` does).

``--cache DIR`` keeps the cache in DIR (else a temporary folder): a run at a million claims can
then reuse the tables and the index an earlier run stored, and steps 0 and 1 say so.

The source is the text of generated seeds, the worst case for scoring: nearly every passage
has candidates.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from claimtrack.store.layout import Dataset
from claimtrack.tables.kept import TableStore
from claimtrack.tables.load import refresh_stored
from claimtrack.track.index import ClaimIndex

HERE = Path(__file__).parent


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak MiB (the largest process of the tree) and the main process's
    anonymous peak MiB (without the index files it maps) of a CLI run."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "procpeak.py"), "claimtrack", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode != 0 or "exit 0" not in done.stdout:
        raise SystemExit(f"claimtrack {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    line = done.stdout.strip().splitlines()[-1]  # procpeak: "... main N MiB; ... peaks MiB: a, b"
    main_peak = float(re.search(r"main (\d+) MiB", line)[1])  # type: ignore[index]
    anon = float(re.search(r"anonymous (\d+) MiB", line)[1])  # type: ignore[index]
    children = [float(x) for x in re.findall(r"\d+", line.split("peaks MiB:")[-1])]
    return wall, max([main_peak, *children]), anon


def _source(root: Path, words: int, folder: Path) -> Path:
    text, count = [], 0
    for path in sorted((root / "seeds").glob("*.txt")):
        body = path.read_text("utf-8")
        text.append(body)
        count += len(body.split())
        if count >= words:
            break
    out = folder / "source.txt"
    out.write_text("\n\n".join(text), "utf-8")
    return out


def _first_claim(root: Path) -> Path:
    return min((root / "claims").rglob("*.yaml"))


def _touch_one(path: Path, n: int) -> None:
    text = path.read_text("utf-8")
    marker = "statement: "
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + f"Edited {n} " + text[at:], "utf-8")


def _summary(runs: list[tuple[float, float, float]]) -> str:
    median = statistics.median(w for w, _, _ in runs)
    peak, anon = max(p for _, p, _ in runs), max(a for _, _, a in runs)
    return f"median {median:.2f} s, peak {peak:.0f} MiB (anonymous {anon:.0f} MiB)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    root = args.root.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache.resolve() if args.cache else Path(scratch) / "cache"
        env = dict(os.environ, CLAIMTRACK_CACHE_DIR=str(cache))
        source = _source(root, args.words, Path(scratch))
        words = len(source.read_text("utf-8").split())
        base = ["match", "--root", str(root), str(source), "--format", "json"]
        tables = _run(["query", "--root", str(root), "--limit", "1"], env)
        print(f"query --limit 1 (tables validated and stored): {_summary([tables])}")
        built = _run(base, env)
        print(f"first match (index built): {_summary([built])}")  # unless --cache had them
        warm = [_run(base, env) for _ in range(args.runs)]
        print(f"match, {words} words, index ready: {_summary(warm)}")
        claim = _first_claim(root)
        original = claim.read_bytes()
        try:
            changed = []
            for n in range(args.runs):
                _touch_one(claim, n)
                changed.append(_run(base, env))
            print(f"match after one claim changed: {_summary(changed)}")
            index = ClaimIndex.for_dataset(cache, root)
            _touch_one(claim, args.runs)
            os.environ["CLAIMTRACK_CACHE_DIR"] = str(cache)
            state = refresh_stored(Dataset(root), cache)  # validated, the stored tables patched
            scans = TableStore(cache, root).scan(state) if state else None
            if state is None or scans is None:
                raise SystemExit("the stored tables could not be read")
            start = time.perf_counter()
            update = index.update(scans, state["parquet"])
            took = time.perf_counter() - start
        finally:
            claim.write_bytes(original)  # the dataset as it was
        print(f"index update alone, one claim changed: {took:.2f} s ({update})")


if __name__ == "__main__":
    main()
