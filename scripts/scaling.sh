#!/usr/bin/env bash
# docs/SCALING.md's table: each scenario of scripts/load.sh on SQLite, then on PostgreSQL (a durable throwaway cluster,
# or PG=<connection string>), one after the other in one run, plus the backlog drained by M worker-only processes on
# PostgreSQL. Prints one table at the end; each run's full output is kept in $OUT (default /tmp/scaling.<time>).
#
#   bash scripts/scaling.sh
#   COMMENTS_OFF=100000 COMMENTS_ON=20000 ARTICLES_ON=200 REPORT_SECONDS=20 ROWS=1000000 QUEUE_REQUESTS=400 WORKERS=2 bash scripts/scaling.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COMMENTS_OFF=${COMMENTS_OFF:-100000}; COMMENTS_ON=${COMMENTS_ON:-20000}; ARTICLES_ON=${ARTICLES_ON:-200}
REPORT_SECONDS=${REPORT_SECONDS:-20}; ROWS=${ROWS:-1000000}; QUEUE_REQUESTS=${QUEUE_REQUESTS:-400}; WORKERS=${WORKERS:-2}
OUT=${OUT:-/tmp/scaling.$(date -u +%Y%m%dT%H%M%S)}; mkdir -p "$OUT"
ONLY_RUNS=${ONLY_RUNS:-reports backlog-off backlog-workers queue backlog-on}   # a subset, e.g. ONLY_RUNS="queue"

if [[ "${NO_BUILD:-}" != 1 ]]; then
  for p in src/Moderation.Api src/Moderation.Cli tools/Moderation.LoadTest; do
    dotnet build -c Release "$ROOT/$p" -v q -nologo | grep -E " error |rror CS" || true
  done
fi
export NO_BUILD=1
ROWS_OUT=()
load() { cut -d' ' -f1-3 /proc/loadavg; }

# run <name> <provider> <load.sh args…>: one load run, its figure and the load average before and after.
run() {
  local name=$1 provider=$2; shift 2
  local log="$OUT/$name-$provider.log" before after figure rc=0
  before=$(load)
  echo "== $name on $provider: scripts/load.sh $* --provider $provider (log $log)"
  bash "$ROOT/scripts/load.sh" "$@" --provider "$provider" >"$log" 2>&1 || rc=$?
  after=$(load)
  case "$name" in   # a log without the figure (a failed run) gives an empty figure, not an exit
    backlog*) figure=$(grep -o 'scored_at [0-9.]* s => [0-9.]* comments/s' "$log" | awk '{print $5 " comments/s (scored_at span " $2 " s)"}' || true);;
    reports) figure=$(grep '^POST report' "$log" | sed -E 's/= +/=/g' | grep -oE '(rate|p99)=[0-9.]+[a-z/]+' | tr '\n' ' ' || true);;
    queue) figure=$(grep '^state=' "$log" | grep -v 'page 2' | sed -E 's/= +/=/g' \
      | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^p99=/) {v = substr($i, 5) + 0; if (v > m) {m = v; w = $1}}} END {printf "worst first-page p99=%.2fms (%s)", m, w}' || true);;
  esac
  [[ $rc -eq 0 ]] || figure="$figure [load.sh exit $rc: see log]"
  ROWS_OUT+=("$(printf '%-16s %-9s %-70s load %s -> %s' "$name" "$provider" "$figure" "$before" "$after")")
  echo "${ROWS_OUT[-1]}"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; load avg $(load); output in $OUT"
for r in $ONLY_RUNS; do
  case $r in
    reports) for p in sqlite postgres; do run reports $p reports --duration "$REPORT_SECONDS"; done;;
    backlog-off) for p in sqlite postgres; do run backlog-off $p backlog --embeddings off --comments "$COMMENTS_OFF"; done;;
    backlog-workers) run "backlog-off-${WORKERS}w" postgres backlog --embeddings off --comments "$COMMENTS_OFF" --workers "$WORKERS";;
    queue) for p in sqlite postgres; do run queue $p queue --rows "$ROWS" --requests "$QUEUE_REQUESTS"; done;;
    backlog-on) for p in sqlite postgres; do run backlog-on $p backlog --embeddings on --comments "$COMMENTS_ON" --articles "$ARTICLES_ON"; done;;
    *) echo "unknown run $r" >&2; exit 2;;
  esac
done
echo
echo "scenario         engine    figure                                                                 load average (1, 5, 15 min) before -> after"
printf '%s\n' "${ROWS_OUT[@]}" | tee "$OUT/table.txt"
