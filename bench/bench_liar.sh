#!/usr/bin/env bash
# Scale check on real data (run by hand, not in CI): import all of LIAR, validate, release,
# verify, load and query. LIAR stays outside the repository (research use only):
#   bash bench/bench_liar.sh ../shared/data/liar
set -euo pipefail
liar=$(cd "$1" && pwd)
work=$(mktemp -d)
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench.time "$@" > /dev/null 2> /tmp/bench.err || true
  read -r secs kib < <(tail -n 1 /tmp/bench.time)
  printf '%-52s %8.2f s %8d MiB\n' "$label" "$secs" $((kib / 1024))
}
echo "machine: $(nproc) cores, $(python --version), claimtrack $(claimtrack --version | awk '{print $3}')"
claimtrack init "$work/liar" > /dev/null
cd "$work/liar"
measure "import train+valid+test (12,836 records)" claimtrack import liar "$liar/train.tsv" "$liar/valid.tsv" "$liar/test.tsv"
LIAR_DIR="$liar" python - <<'PY'
import collections, csv, os, claimtrack
from pathlib import Path
rows = []
for split in ("train", "valid", "test"):
    with open(Path(os.environ["LIAR_DIR"]) / f"{split}.tsv", encoding="utf-8", newline="") as f:
        rows += list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
history = claimtrack.load_tables()["status_history"]
labels = collections.Counter(history["source_label"].to_list())
plain = collections.Counter(r[1].strip() for r in rows)
print(f"{'exact: records, labels equal a plain TSV parse':<52} {labels == plain} ({sum(labels.values())} of {len(rows)})")
PY
measure "import again (idempotent: nothing changes)" claimtrack import liar "$liar/train.tsv" "$liar/valid.tsv" "$liar/test.tsv"
measure "validate, cold (no cache, all cores)" claimtrack validate --no-cache
measure "validate, filling the cache" claimtrack validate --cache-dir "$work/cache"
measure "validate, warm" claimtrack validate --cache-dir "$work/cache"
measure "release 1.0.0" claimtrack release --version 1.0.0 --date 2026-11-28
measure "verify 1.0.0" claimtrack verify 1.0.0
measure "query --status refuted --attributed-to obama (CLI)" claimtrack query --status refuted --attributed-to barack-obama --format csv
python - <<'PY'
import time
import claimtrack
from claimtrack.tables import query
start = time.perf_counter()
tables = claimtrack.load_tables(version="1.0.0")
print(f"{'load_tables(version=1.0.0)':<52} {time.perf_counter() - start:8.2f} s")
start = time.perf_counter()
worktree = claimtrack.load_tables()
print(f"{'load_tables() from the working tree (validates)':<52} {time.perf_counter() - start:8.2f} s")
best = min(
    (lambda t: (query.select(tables, query.Filters(statuses=("refuted",),
                attributed_to="barack-obama")), time.perf_counter() - t)[1])(time.perf_counter())
    for _ in range(5))
print(f"{'query itself (best of 5)':<52} {best * 1000:8.1f} ms")
PY
rm -rf "$work"
