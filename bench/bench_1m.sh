#!/usr/bin/env bash
# A million claims (issue #15): generate in nested folders, validate cold and warm, release,
# verify, read the release (load, a lazy filter, Spark), then 4 shards one after another.
# Usage: bench/bench_1m.sh [/tmp/bench1m]   (about 30 GB free; an hour on 2 cores)
set -euo pipefail
root=${1:-/tmp/bench1m}
export CLAIMTRACK_CACHE_DIR=${CLAIMTRACK_CACHE_DIR:-/tmp/bench-cache-1m}
here=$(cd "$(dirname "$0")" && pwd)
measure() {  # label, command...: wall seconds and peak resident MiB of the largest process
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench-time "$@" >/dev/null || true
  read -r secs kib < <(tail -1 /tmp/bench-time)
  printf '| %s | %s s | %d MiB |\n' "$label" "$secs" $((kib / 1024))
}
rm -rf "$CLAIMTRACK_CACHE_DIR"
measure "generate 1,000,000 claims, 100,000 seeds (256 folders)" python "$here/generate.py" "$root" --claims 1000000 --nested
measure "validate, cold (fills the cache)" claimtrack validate --root "$root" --format json
measure "validate, warm, nothing changed" claimtrack validate --root "$root" --format json
first=$(find "$root/claims" -name '*.yaml' -print -quit)
cp "$first" /tmp/bench-1m-backup
sed -i 's/^statement: /statement: Edited /' "$first"
sleep 3
measure "validate, warm, one file changed" claimtrack validate --root "$root" --format json
cp /tmp/bench-1m-backup "$first"
measure "release 1.0.0 (20 parts a table)" claimtrack release --root "$root" --version 1.0.0 --no-changelog --date 2026-11-29
measure "verify 1.0.0" claimtrack verify 1.0.0 --root "$root"
measure "load(version=1.0.0), a process" python -c "import claimtrack,sys; print(claimtrack.load(sys.argv[1], version='1.0.0').height)" "$root"
python -c "
import sys, time, polars as pl, claimtrack
t = time.perf_counter()
lazy = claimtrack.load(sys.argv[1], version='1.0.0', lazy=True)
t1 = time.perf_counter()
n = lazy.filter(pl.col('status') == 'refuted').select('claim_id').collect().height
t2 = time.perf_counter()
print(f'lazy filter in a process: {n} refuted; load {t1 - t:.3f} s, filter {t2 - t1:.3f} s')" "$root"
measure "Spark (local[2]) count by status" python -c "
import sys
from pyspark.sql import SparkSession
spark = SparkSession.builder.master('local[2]').config('spark.ui.enabled', 'false').getOrCreate()
frame = spark.read.parquet(sys.argv[1] + '/dataset/1.0.0/claims')
print(frame.count(), frame.groupBy('status').count().collect())
spark.stop()" "$root"
for i in 0 1 2 3; do
  measure "validate --shard $i/4 --no-cache" claimtrack validate --root "$root" --shard "$i/4" --no-cache --format json
done
du -sh "$root/claims" "$root/seeds" "$root/dataset/1.0.0"
