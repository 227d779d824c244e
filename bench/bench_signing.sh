#!/usr/bin/env bash
# The cost of signing a release (issue #33): the same release of a generated dataset made
# unsigned and signed, alternating, then `verify` of each, and the signing step alone.
# Usage: bench/bench_signing.sh /tmp/s100k   (a dataset from bench/generate.py, no dataset/)
set -euo pipefail
root=${1:?dataset folder}
runs=${RUNS:-2}
export CLAIMTRACK_CACHE_DIR=${CLAIMTRACK_CACHE_DIR:-/tmp/bench-cache}
key=$(mktemp -d)/release-key
measure() {  # label, command...: wall seconds and peak resident MiB of the largest process
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench-time "$@" >/dev/null
  read -r secs kib < <(tail -1 /tmp/bench-time)
  printf '| %s | %s s | %d MiB |\n' "$label" "$secs" $((kib / 1024))
}
[ ! -e "$root/dataset" ] || { echo "$root/dataset exists: move it aside first" >&2; exit 2; }
claimtrack key new "$key" >/dev/null 2>&1
cp "$root/dataset.yaml" /tmp/bench-identity-backup
printf 'signing_keys:\n- public_key: %s\n  owner: Bench key\n  valid_from: 2026-01-01\n' \
  "$(cat "$key.pub")" >>"$root/dataset.yaml"
claimtrack validate --root "$root" >/dev/null || true  # fill the cache: releases read it
for i in $(seq "$runs"); do
  measure "release, unsigned (run $i)" claimtrack release --root "$root" --version 1.0.0 --no-changelog --date 2026-11-28
  mv "$root/dataset/1.0.0" "$root/dataset/unsigned"
  measure "release --sign (run $i)" claimtrack release --root "$root" --version 1.0.0 --no-changelog --date 2026-11-28 --sign "$key"
  [ "$i" = "$runs" ] || rm -rf "$root/dataset/1.0.0" "$root/dataset/unsigned"
done
measure "verify, signed" claimtrack verify 1.0.0 --root "$root"
rm -rf "$root/dataset/1.0.0"
mv "$root/dataset/unsigned" "$root/dataset/1.0.0"
cp /tmp/bench-identity-backup "$root/dataset.yaml"  # no listed key: an unsigned release is fine
measure "verify, unsigned" claimtrack verify 1.0.0 --root "$root"
python - "$root/dataset/1.0.0/manifest.json" "$key" <<'EOF'
import sys, time
from pathlib import Path
from claimtrack.release.signing import load_private_key, signature

manifest = Path(sys.argv[1]).read_bytes()
key = load_private_key(Path(sys.argv[2]))
start = time.perf_counter()
for _ in range(20):
    signature(key, "1.0.0", manifest)
each = (time.perf_counter() - start) / 20
print(f"manifest: {len(manifest) / 2**20:.1f} MiB; signing it: {each * 1000:.1f} ms")
EOF
rm -rf "$root/dataset"
