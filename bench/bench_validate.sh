#!/usr/bin/env bash
# Validation benchmark (run by hand, not in CI): claimtrack validate vs check-jsonschema, same
# committed schema, same files, same run. Needs the synthetic datasets and a check-jsonschema
# install of its own (it is not a dependency of claimtrack):
#   python bench/generate.py /tmp/bench10k --claims 10000
#   python bench/generate.py /tmp/bench100k --claims 100000
#   python3 -m venv /tmp/cjs && /tmp/cjs/bin/pip install check-jsonschema
#   bash bench/bench_validate.sh /tmp/bench10k /tmp/bench100k /tmp/cjs/bin/check-jsonschema
set -uo pipefail
small=$1 large=$2 cjs=$3
cache=$(mktemp -d)
measure() {  # label, command...: wall seconds and peak RSS (MiB) of one run
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/bench.time "$@" > /dev/null 2>&1 || echo "  (exit $? from: $*)"
  read -r secs kib < <(tail -n 1 /tmp/bench.time)
  printf '%-58s %8.2f s %8d MiB\n' "$label" "$secs" $((kib / 1024))
}
echo "machine: $(nproc) cores, $(python -c 'import platform; print(platform.processor() or platform.machine())'), $(python --version)"
echo "claimtrack $(claimtrack --version | awk '{print $3}'), $($cjs --version)"
for root in "$small" "$large"; do
  n=$(ls "$root/claims" | wc -l)
  measure "claimtrack validate, cold, no cache ($n claims, 2 jobs)" claimtrack validate --root "$root" --no-cache
  measure "claimtrack validate, cold, 1 job ($n claims)" claimtrack validate --root "$root" --no-cache --jobs 1
  measure "claimtrack validate, filling the cache ($n claims)" claimtrack validate --root "$root" --cache-dir "$cache"
  measure "claimtrack validate, warm, nothing changed ($n claims)" claimtrack validate --root "$root" --cache-dir "$cache"
  f="$root/claims/$(ls "$root/claims" | head -1)"
  cp "$f" /tmp/bench.orig && sed -i 's/^statement: /statement: Changed. /' "$f"
  measure "claimtrack validate, warm, one file changed ($n claims)" claimtrack validate --root "$root" --cache-dir "$cache"
  cp /tmp/bench.orig "$f"
done
ls "$small/claims" | head -2000 | sed "s|^|$small/claims/|" > /tmp/bench.files
measure "check-jsonschema, 2000 files, one call" xargs -a /tmp/bench.files "$cjs" --schemafile "$small/schemas/claim.schema.json"
ls "$small/claims" | sed "s|^|$small/claims/|" > /tmp/bench.files
measure "check-jsonschema, 10000 files, one call" xargs -a /tmp/bench.files "$cjs" --schemafile "$small/schemas/claim.schema.json"
rm -rf "$cache"
