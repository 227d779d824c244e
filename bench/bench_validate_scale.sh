#!/usr/bin/env bash
# Validation at scale: cold (fresh cache), warm with nothing changed (twice), one claim file
# changed, and back as it was. Wall seconds and the peak resident memory of the largest process.
# Usage: bench/bench_validate_scale.sh DATASET [CACHE_DIR]   (e.g. /tmp/bench1m from bench_1m.sh)
set -u
root=${1:?dataset folder}
export CLAIMTRACK_CACHE_DIR=${2:-/tmp/bench-cache-scale}
rm -rf "$CLAIMTRACK_CACHE_DIR"
measure() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench-time "$@" >/dev/null 2>&1; local rc=$?
  read -r secs kib < <(tail -1 /tmp/bench-time)
  printf '| %s | %s s | %d MiB | exit %s |\n' "$label" "$secs" $((kib / 1024)) "$rc"
}
measure "validate, cold (fills the cache)" claimtrack validate --root "$root" --format json
ls -la "$CLAIMTRACK_CACHE_DIR"/runs/*/
measure "validate, warm, nothing changed" claimtrack validate --root "$root" --format json
measure "validate, warm, nothing changed (again)" claimtrack validate --root "$root" --format json
first=$(find "$root/claims" -name '*.yaml' -print -quit)
cp "$first" /tmp/bench-scale-backup
sed -i 's/^statement: /statement: Edited /' "$first"
sleep 3
measure "validate, warm, one file changed" claimtrack validate --root "$root" --format json
cp /tmp/bench-scale-backup "$first"
measure "validate, warm, back as it was" claimtrack validate --root "$root" --format json
