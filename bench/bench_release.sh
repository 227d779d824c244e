#!/usr/bin/env bash
# Releases at scale (issue #15): a first release, verify, a second release diffed against the
# first, and reads of the release. Usage: bench/bench_release.sh /tmp/bench100k [PART_SIZE]
# (a dataset from bench/generate.py without a dataset/ folder; the cache is kept in
# $CLAIMTRACK_CACHE_DIR, default /tmp/bench-cache).
set -euo pipefail
root=${1:?dataset folder}
part=${2:-50000}
export CLAIMTRACK_CACHE_DIR=${CLAIMTRACK_CACHE_DIR:-/tmp/bench-cache}
measure() {  # label, command...: wall seconds and peak resident MiB of the largest process
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench-time "$@" >/dev/null || true
  read -r secs kib < <(tail -1 /tmp/bench-time)
  printf '| %s | %s s | %d MiB |\n' "$label" "$secs" $((kib / 1024))
}
[ ! -e "$root/dataset" ] || { echo "$root/dataset exists: move it aside first" >&2; exit 2; }
measure "validate (the cache as it is)" claimtrack validate --root "$root" --format json
measure "release 1.0.0 (first)" claimtrack release --root "$root" --version 1.0.0 --no-changelog --date 2026-11-28 --part-size "$part"
measure "verify 1.0.0" claimtrack verify 1.0.0 --root "$root"
first=$(find "$root/claims" -name '*.yaml' -print -quit)
cp "$first" /tmp/bench-claim-backup
sed -i 's/^statement: /statement: Edited /' "$first"
measure "release 1.0.1 (one wording change, diffed)" claimtrack release --root "$root" --bump patch --no-changelog --date 2026-11-28 --part-size "$part"
cp /tmp/bench-claim-backup "$first"
measure "load(version=1.0.1)" python -c "import claimtrack,sys; print(claimtrack.load(sys.argv[1], version='1.0.1').height)" "$root"
measure "load(version=1.0.1, lazy=True) filter" python -c "
import sys, time, polars as pl, claimtrack
t = time.perf_counter()
n = claimtrack.load(sys.argv[1], version='1.0.1', lazy=True).filter(pl.col('status') == 'refuted').select('claim_id').collect().height
print(n, f'{time.perf_counter() - t:.3f} s in process', file=sys.stderr)" "$root"
du -sh "$root/dataset/1.0.0"
