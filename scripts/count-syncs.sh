#!/usr/bin/env bash
# Counts the service's fsync/fdatasync calls in each phase of a backlog run (docs/PERFORMANCE.md, "Durability").
#
#   scripts/count-syncs.sh Full|Normal [--comments 20000]
#
# Runs `scripts/load.sh backlog --embeddings off` with Moderation:Storage:Synchronous set, attaches strace to every
# thread of each service process it starts (ingest phase, then drain phase) and prints the counts. strace slows the
# service about tenfold: the counts are what this measures, not the rates.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:?Full or Normal}; shift
COMMENTS=20000
[[ "${1:-}" == --comments ]] && COMMENTS=$2
command -v strace >/dev/null || { echo "needs strace (apt-get install -y strace)" >&2; exit 2; }
OUT=$(mktemp -d /tmp/modsyncs.XXXXXX)
bash "$ROOT/scripts/load.sh" backlog --embeddings off --comments "$COMMENTS" --set "Moderation:Storage:Synchronous=$MODE" >"$OUT/log" 2>&1 &
RUNNER=$!
SEEN=" "
while kill -0 "$RUNNER" 2>/dev/null; do
  for pid in $(grep -oE "service pid [0-9]+" "$OUT/log" | awk '{print $3}'); do
    [[ "$SEEN" == *" $pid "* ]] && continue
    SEEN="$SEEN$pid "
    args=(); for t in /proc/"$pid"/task/*; do args+=(-p "${t##*/}"); done
    strace -f -c -e trace=fsync,fdatasync -o "$OUT/strace-$pid.txt" "${args[@]}" 2>/dev/null &
  done
  sleep 0.2
done
wait "$RUNNER" || { cat "$OUT/log"; exit 1; }
sleep 1
phase=(ingest drain)
i=0
for pid in $SEEN; do
  echo "${phase[$i]:-phase $i} (service pid $pid): $(awk '$NF ~ /^(fsync|fdatasync)$/ {n += $4} END {print n + 0}' "$OUT/strace-$pid.txt") syncs"
  i=$((i + 1))
done
grep -E "verify: FAIL" "$OUT/log" || true
rm -rf "$OUT"
