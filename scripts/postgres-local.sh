#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, from Debian's `postgresql` package only: a private server in a folder,
# on 127.0.0.1 and a free port, its unix socket in the same folder. Nothing system-wide is started or changed.
#
#   bash scripts/postgres-local.sh start DIR   # prints ONE line: the Npgsql connection string (also in DIR/connection-string)
#   bash scripts/postgres-local.sh start DIR --durable   # the same with PostgreSQL's durable defaults (for measurements)
#   bash scripts/postgres-local.sh stop DIR    # stops the server and removes DIR
#
# Role `moderation` (password `moderation`, CREATEDB: tests make a database each) owns database `moderation`.
# Local socket connections are trusted (superuser `postgres`: psql -h DIR -U postgres); TCP ones need a password
# (scram-sha-256). PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` user and DIR
# is chowned to it (so DIR's parent folders must be enterable by that user: mktemp -d under /tmp is).
# Everything but the connection string goes to stderr; the server's log is DIR/server.log.
set -euo pipefail
cmd=${1:?usage: postgres-local.sh start|stop DIR [--durable]}; dir=${2:?usage: postgres-local.sh start|stop DIR [--durable]}
durable=; [[ ${3:-} == --durable ]] && durable=1
[[ -z ${3:-} || -n $durable ]] || { echo "postgres-local: unknown option $3 (--durable)" >&2; exit 2; }

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -n $bin && -x $bin/initdb ]] || { echo "postgres-local: no initdb under /usr/lib/postgresql/*/bin: apt-get install postgresql" >&2; exit 2; }

# As root: run as `postgres`; otherwise as whoever runs the script.
if [[ $(id -u) -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi

if [[ $cmd == stop ]]; then
  [[ -d $dir ]] || exit 0
  dir=$(cd "$dir" && pwd)
  rmdir "$dir" 2>/dev/null && exit 0   # empty: a start that failed before initdb
  # Only a folder this script made is removed (never an arbitrary DIR given by mistake).
  [[ -f $dir/data/PG_VERSION || -f $dir/connection-string ]] || { echo "postgres-local: $dir is not a cluster folder; left alone" >&2; exit 1; }
  if [[ -f $dir/data/postmaster.pid ]]; then
    (cd "$dir" && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2) || true
  fi
  rm -rf "$dir"
  exit 0
fi
[[ $cmd == start ]] || { echo "postgres-local: unknown command $cmd (start|stop)" >&2; exit 2; }

mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
[[ -e $dir/data ]] && { echo "postgres-local: $dir/data exists; stop it first" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
chmod 700 "$dir"
cd "$dir"   # the server user may not be able to enter the caller's working folder

# C collation and UTF-8: text sorts by bytes, as SQLite's BINARY collation does (keyset paging and ISO times
# compare alike on both engines); databases made later with CREATE DATABASE copy it from template1.
pwfile=$dir/.pw; echo postgres >"$pwfile"; [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
  --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$pwfile"

# A TEST server: fsync, synchronous_commit and full_page_writes off trade crash safety (which a throwaway cluster
# does not need) for speed. Never use these settings for a database whose data matters.
# --durable (scripts/load.sh, docs/SCALING.md) keeps PostgreSQL's defaults instead: every acknowledged commit is
# flushed to disk, as SQLite's default (synchronous=FULL) does, so the two engines are measured at the same durability.
# --durable also sizes the buffer cache as a server for this data would be (PostgreSQL's usual advice: ~25 % of RAM,
# here 1 GB): the 128 MB default holds a tenth of a 1M-row queue, and a priority-ordered page (rows spread over the
# table) then read ~50 pages from the OS per request (docs/SCALING.md).
if [[ -n $durable ]]; then
  crash_safety="fsync = on
synchronous_commit = on
full_page_writes = on
shared_buffers = 1GB"
else
  crash_safety="fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB"
fi
cat >>"$dir/data/postgresql.conf" <<CONF

# --- scripts/postgres-local.sh (throwaway ${durable:+durable }cluster) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
$crash_safety
logging_collector = off
CONF

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null && return
  local p=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

# A port can be taken between choosing it and the server binding it: try a few.
started=
for _ in 1 2 3 4 5; do
  port=$(free_port)
  if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 start >&2; then started=1; break; fi
  echo "postgres-local: could not start on port $port, trying another" >&2
done
[[ -n $started ]] || { tail -n 20 "$dir/server.log" >&2; exit 1; }
for _ in $(seq 1 100); do "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break; sleep 0.1; done
"$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { echo "postgres-local: server not ready" >&2; tail -n 20 "$dir/server.log" >&2; exit 1; }

# The role and database the service and the tests use (over the socket, as the trusted superuser).
as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >&2 <<'SQL'
CREATE ROLE moderation LOGIN CREATEDB PASSWORD 'moderation';
-- Tests drop their database WITH (FORCE), which ends the backends still on it (e.g. autovacuum's).
GRANT pg_signal_backend TO moderation;
-- The load tool's queue seed ends with a CHECKPOINT, so a measurement does not share the disk with one (PostgreSQL 15+).
DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_checkpoint') THEN GRANT pg_checkpoint TO moderation; END IF; END $$;
CREATE DATABASE moderation OWNER moderation;
SQL

cs="Host=127.0.0.1;Port=$port;Username=moderation;Password=moderation;Database=moderation"
echo "$cs" >"$dir/connection-string"
echo "$cs"
