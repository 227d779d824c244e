#!/usr/bin/env bash
# The website of a 100k-claim release: build time, peak memory and size (issue #14).
# Usage: bench/bench_site.sh /tmp/bench100k   (a dataset from bench/generate.py)
set -euo pipefail
root=${1:?dataset folder}
export CLAIMTRACK_CACHE_DIR=${CLAIMTRACK_CACHE_DIR:-/tmp/bench-cache}
[ -d "$root/dataset/1.0.0" ] || /usr/bin/time -v claimtrack release --root "$root" --version 1.0.0 --no-changelog --date 2026-11-28 2>&1 | grep -E "released|Elapsed|Maximum"
rm -rf /tmp/site100k
/usr/bin/time -v claimtrack site 1.0.0 --root "$root" -o /tmp/site100k 2>&1 | grep -E "wrote|Elapsed|Maximum"
du -sh /tmp/site100k /tmp/site100k/*
