#!/usr/bin/env bash
# Loopback load runs for the moderation service (method and results: docs/PERFORMANCE.md).
#
#   scripts/load.sh mix     [--embeddings on|off] [--duration 60] [--comment-rate 200] [--report-rate 500]
#   scripts/load.sh backlog [--embeddings on|off] [--comments 100000] [--articles 200] [--batch N]
#   scripts/load.sh reports [--duration 20] [--concurrency 32] [--warmup 10] (seconds at that concurrency, not timed)
#   scripts/load.sh queue   [--rows 1000000] [--requests 400]      (ONLY=limit=200 runs only the variants containing it)
#   every scenario: [--provider sqlite|postgres] (default sqlite); backlog also [--workers M] (M worker-only processes)
#
# Each run: builds Release (NO_BUILD=1 skips), starts the service on a free 127.0.0.1 port over a fresh
# temporary database, runs the scenario with tools/Moderation.LoadTest, stops the service (by its pid),
# prints its peak resident memory (VmHWM) and checks counts in the database. KEEP_DB=1 keeps the temp dir.
# --provider postgres: a fresh database per run on the server of PG=<Npgsql connection string> (a role that may
# CREATE DATABASE; the database is left there) or, without PG, on a durable throwaway cluster
# (scripts/postgres-local.sh start DIR --durable: fsync and synchronous_commit on) stopped at the end.
# --workers M (backlog): the API runs with its worker off and M `Moderation.Cli worker` processes drain the backlog.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIO=${1:-}; shift || true
PROVIDER=sqlite; WORKERS=0; EMB=on; DURATION=""; COMMENTS=100000; ARTICLES=200; ROWS=1000000; REQUESTS=400; CONC=32; WARMUP=10; CRATE=200; RRATE=500; BATCH=""; EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --provider) PROVIDER=$2; shift 2;;
    --workers) WORKERS=$2; shift 2;;
    --embeddings) EMB=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
    --comments) COMMENTS=$2; shift 2;;
    --articles) ARTICLES=$2; shift 2;;
    --rows) ROWS=$2; shift 2;;
    --requests) REQUESTS=$2; shift 2;;
    --concurrency) CONC=$2; shift 2;;
    --warmup) WARMUP=$2; shift 2;;
    --comment-rate) CRATE=$2; shift 2;;
    --report-rate) RRATE=$2; shift 2;;
    --batch) BATCH=$2; shift 2;;
    --set) EXTRA+=("--$2"); shift 2;;          # any service setting, e.g. --set Moderation:Worker:BatchSize=64
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
case "$SCENARIO" in mix|backlog|reports|queue) ;; *) sed -n 2,16p "$0"; exit 2;; esac
case "$PROVIDER" in sqlite|postgres) ;; *) echo "--provider is sqlite or postgres" >&2; exit 2;; esac

if [[ "${NO_BUILD:-}" != 1 ]]; then
  dotnet build -c Release "$ROOT/src/Moderation.Api/Moderation.Api.csproj" -v q -nologo | grep -E "error|Warn" || true
  dotnet build -c Release "$ROOT/tools/Moderation.LoadTest/Moderation.LoadTest.csproj" -v q -nologo | grep -E "error|Warn" || true
  if [[ "$WORKERS" -gt 0 ]]; then dotnet build -c Release "$ROOT/src/Moderation.Cli/Moderation.Cli.csproj" -v q -nologo | grep -E "error|Warn" || true; fi
fi
CLI_DIR="${CLI_DIR:-$ROOT/src/Moderation.Cli/bin/Release/net10.0}"
API_DIR="${API_DIR:-$ROOT/src/Moderation.Api/bin/Release/net10.0}"   # API_DIR=… runs another build (e.g. main, for a before/after)
TOOL="$ROOT/tools/Moderation.LoadTest/bin/Release/net10.0/Moderation.LoadTest.dll"
DATA="$ROOT/training-data/relevance"

TMP=$(mktemp -d /tmp/modload.XXXXXX)
DB="$TMP/moderation.db"
KEY="load-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PID=""; WPIDS=(); PGDIR=""
cleanup() {
  for p in "${WPIDS[@]}" "$PID"; do
    if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then kill "$p"; wait "$p" 2>/dev/null || true; fi
  done
  if [[ -n "$PGDIR" ]]; then
    if [[ "${KEEP_DB:-}" != 1 ]]; then bash "$ROOT/scripts/postgres-local.sh" stop "$PGDIR"; else echo "kept the cluster in $PGDIR (stop: scripts/postgres-local.sh stop $PGDIR)"; fi
  fi
  if [[ "${KEEP_DB:-}" != 1 ]]; then rm -rf "$TMP"; else echo "kept $TMP"; fi
}
trap cleanup EXIT

tool() { dotnet "$TOOL" "$@"; }

# The database: a SQLite file in $TMP, or a fresh PostgreSQL database ($TMP still holds the key files kept beside it).
if [[ "$PROVIDER" == postgres ]]; then
  SERVER_CS=${PG:-}
  if [[ -z "$SERVER_CS" ]]; then
    PGDIR=$(mktemp -d /tmp/modload-pg.XXXXXX)
    SERVER_CS=$(bash "$ROOT/scripts/postgres-local.sh" start "$PGDIR" --durable 2>"$TMP/postgres-start.log") \
      || { cat "$TMP/postgres-start.log" >&2; exit 1; }
  fi
  CS=$(tool pg-createdb --pg "$SERVER_CS")
  DBARGS=(--pg "$CS")
  STORE=(--Moderation:Storage:Provider=postgres --ConnectionStrings:Moderation="$CS" --Moderation:Database="$DB")
  echo "database: PostgreSQL $(tool scalar --pg "$CS" --sql "SELECT current_setting('server_version_num')::int"), ${CS%%Password=*}… (fsync $(tool scalar --pg "$CS" --sql "SELECT (current_setting('fsync') = 'on')::int"), synchronous_commit $(tool scalar --pg "$CS" --sql "SELECT (current_setting('synchronous_commit') = 'on')::int"): 1 = on)"
else
  DBARGS=(--db "$DB")
  STORE=(--Moderation:Database="$DB")
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# service_args <worker true|false>: the settings every process of a run shares (into SARGS).
service_args() {
  local emb=true; [[ "$EMB" == off ]] && emb=false
  SARGS=("${STORE[@]}" --Moderation:Auth:AdminKey="$KEY"
    --Moderation:Reports:PerMinute=100000000 --Moderation:Relevance:Embeddings=$emb
    --Moderation:Worker:Enabled="$1" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning)
  [[ -n "$BATCH" ]] && SARGS+=(--Moderation:Worker:BatchSize="$BATCH")
  return 0
}

# start_workers <M>: M worker-only processes (Moderation.Cli worker) on the run's database, pids in WPIDS.
start_workers() {
  service_args true
  for i in $(seq 1 "$1"); do
    # Its start-up line is an Information entry (the run logs warnings only otherwise): waited for below.
    (cd "$CLI_DIR" && exec dotnet Moderation.Cli.dll worker "${SARGS[@]}" --Logging:LogLevel:Moderation.Cli=Information "${EXTRA[@]}" >"$TMP/worker$i.log" 2>&1) &
    WPIDS+=($!)
  done
  for _ in $(seq 1 240); do
    local up=0
    for i in $(seq 1 "$1"); do grep -q "Moderation worker started" "$TMP/worker$i.log" 2>/dev/null && up=$((up + 1)); done
    [[ $up -eq $1 ]] && { echo "worker-only processes: ${WPIDS[*]}"; return 0; }
    for p in "${WPIDS[@]}"; do kill -0 "$p" 2>/dev/null || { cat "$TMP"/worker*.log; echo "a worker died" >&2; exit 1; }; done
    sleep 0.5
  done
  echo "the workers did not start" >&2; exit 1
}

stop_workers() {
  for p in "${WPIDS[@]}"; do
    awk -v hz="$(getconf CLK_TCK)" -v p="$p" '{printf "worker %s CPU: user %.1f s, system %.1f s\n", p, $14 / hz, $15 / hz}' "/proc/$p/stat"
    kill "$p"; wait "$p" 2>/dev/null || true
  done
  WPIDS=()
  grep -E "fail|error|crit" -i "$TMP"/worker*.log | head -5 || true
}

# start_service <worker true|false>
start_service() {
  PORT=$(free_port)
  URL="http://127.0.0.1:$PORT"
  service_args "$1"
  local args=(--urls "$URL" "${SARGS[@]}")
  # SERVICE_ENV="NAME=value …": environment for the service process only (e.g. runtime knobs while profiling).
  (cd "$API_DIR" && exec env ${SERVICE_ENV:-} dotnet Moderation.Api.dll "${args[@]}" "${EXTRA[@]}" >"$TMP/service.log" 2>&1) &
  PID=$!
  for _ in $(seq 1 240); do
    curl -sf "$URL/health" >/dev/null 2>&1 && { echo "service pid $PID on $URL (embeddings $EMB, worker $1)"; return 0; }
    kill -0 "$PID" 2>/dev/null || { cat "$TMP/service.log"; echo "service died" >&2; exit 1; }
    sleep 0.5
  done
  echo "service did not start" >&2; exit 1
}

stop_service() {
  local hwm rss
  kill -0 "$PID" 2>/dev/null || { echo "the service (pid $PID) died; last log lines:" >&2; tail -5 "$TMP/service.log" >&2; exit 1; }
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status"); rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
  echo "service memory: peak resident (VmHWM) $((hwm / 1024)) MB, resident now (VmRSS) $((rss / 1024)) MB"
  # CPU time the service used since it started (user + system, /proc/<pid>/stat fields 14 and 15, in clock ticks):
  # steadier than a rate for comparing two builds on a noisy machine.
  awk -v hz="$(getconf CLK_TCK)" '{printf "service CPU: user %.1f s, system %.1f s\n", $14 / hz, $15 / hz}' "/proc/$PID/stat"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  grep -E "fail|error|crit" -i "$TMP/service.log" | head -5 || true
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -m | awk '/Mem:/ {print $2}') MB; load avg $(cut -d' ' -f1-3 /proc/loadavg)"
case "$SCENARIO" in
  mix)
    start_service true
    tool mix --url "$URL" --key "$KEY" "${DBARGS[@]}" --data "$DATA" --duration "${DURATION:-60}" --comment-rate "$CRATE" --report-rate "$RRATE"
    stop_service
    ;;
  backlog)
    # Phase 1: ingest through the API with the worker off (the ingest rate is measured on its own).
    start_service false
    tool ingest --url "$URL" --key "$KEY" --data "$DATA" --articles "$ARTICLES" --comments "$COMMENTS" --words 60
    stop_service
    # Phase 2: a fresh process with the worker on drains the backlog (article profiles are built on first use, once each).
    if [[ "$WORKERS" -gt 0 ]]; then
      start_service false
      start_workers "$WORKERS"
      tool drain "${DBARGS[@]}" --expect "$COMMENTS" --timeout 7200 --pid "${WPIDS[0]}"
      stop_workers
      stop_service
    else
      start_service true
      tool drain "${DBARGS[@]}" --expect "$COMMENTS" --timeout 7200 --pid "$PID"
      stop_service
    fi
    tool verify "${DBARGS[@]}" --expect-comments "$COMMENTS"
    if [[ "$PROVIDER" == sqlite ]]; then
      echo "articles with a stored profile: $(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select count(*) from articles where profile is not null').fetchone()[0])" "$DB")"
    else
      echo "articles with a stored profile: $(tool scalar "${DBARGS[@]}" --sql "select count(*) from articles where profile is not null")"
    fi
    ;;
  reports)
    start_service true
    tool reports --url "$URL" --key "$KEY" "${DBARGS[@]}" --data "$DATA" --duration "${DURATION:-20}" --concurrency "$CONC" --warmup "$WARMUP"
    stop_service
    ;;
  queue)
    start_service true      # creates and migrates the database
    stop_service
    tool queue-seed "${DBARGS[@]}" --rows "$ROWS"
    start_service true
    tool queue --url "$URL" --key "$KEY" "${DBARGS[@]}" --requests "$REQUESTS" ${ONLY:+--only "$ONLY"}
    stop_service
    ;;
esac
