#!/usr/bin/env bash
# The steps of a million-claim dataset, each under bench/procpeak.py (peak memory of the main
# process and of each worker): validate cold (fresh cache), warm, one file changed, a release
# diffed against the latest one, verify, the four shards of --shard I/4 one after another. Then
# load() from the release, the lazy filter, each in a process, three times.
# Usage: bench/bench_1m_steps.sh /tmp/bench1m VERSION [CACHE_DIR]
#   (the dataset of bench_1m.sh, with at least one release; VERSION is the release to make;
#   CACHE_DIR is emptied first: give a folder of its own)
set -euo pipefail
root=${1:?dataset folder}
version=${2:?version to release}
export CLAIMTRACK_CACHE_DIR=${3:-/tmp/bench-cache-1m-steps}
here=$(cd "$(dirname "$0")" && pwd)
peak() { python "$here/procpeak.py" "$@"; }
cd "$root"
rm -rf "$CLAIMTRACK_CACHE_DIR"
echo "== validate cold, fresh cache"; peak claimtrack validate --format json
echo "== validate warm, nothing changed"; peak claimtrack validate --format json
first=$(find claims -name '*.yaml' -print -quit)
cp "$first" /tmp/bench-1m-backup
trap 'cp /tmp/bench-1m-backup "$first"' EXIT  # the edited claim is put back whatever happens
sed -i "s/^statement: /statement: Edited $(date +%s) /" "$first"  # unlike any earlier run's edit
sleep 2
echo "== validate warm, one changed"; peak claimtrack validate --format json
echo "== release $version (diffed against the latest)"
peak claimtrack release --version "$version" --no-changelog --date 2026-11-29
cp /tmp/bench-1m-backup "$first"
echo "== verify $version"; peak claimtrack verify "$version"
for shard in 0 1 2 3; do
  echo "== validate --shard $shard/4 --no-cache"
  peak claimtrack validate --shard "$shard/4" --no-cache --format json
done
for _ in 1 2 3; do
  /usr/bin/time -f "load() process: %e s, %M KiB" python -c "
import sys, time
t = time.perf_counter()
import claimtrack
frame = claimtrack.load('.', version=sys.argv[1])
print(frame.height, 'claims; load() with its imports', round(time.perf_counter() - t, 3), 's')" "$version"
  python -c "
import sys, time, polars as pl, claimtrack
t = time.perf_counter()
lazy = claimtrack.load('.', version=sys.argv[1], lazy=True)
t1 = time.perf_counter()
n = lazy.filter(pl.col('status') == 'refuted').select('claim_id').collect().height
t2 = time.perf_counter()
print(f'lazy: {n} refuted; load(lazy=True) {t1 - t:.3f} s, filter {t2 - t1:.3f} s')" "$version"
done
