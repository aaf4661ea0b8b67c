#!/usr/bin/env bash
# Checks that src/Moderation.Storage/Migrations/Postgres/*.sql gives PostgreSQL what Migrations/*.sql gives SQLite.
# No C# involved:
#   1. one PostgreSQL file per SQLite file, same names; all 12 apply in order to a fresh database (psql, ON_ERROR_STOP,
#      each file in one transaction as Migrator does), and the SQLite ones to a new SQLite file;
#   2. the trigger scenario scripts/postgres-schema-check.sql runs on both; each engine must print exactly its
#      `-- expect:` lines (term_df_generation, report_generation, the queue's excerpt/comment_status/report_count);
#   3. statements that break a constraint (CHECK, FOREIGN KEY, UNIQUE, NOT NULL) fail on both, for the same reason;
#   4. tables, columns, indexes (names too), constraints and triggers compared (scripts/postgres-schema-compare.py);
#   5. EXPLAIN: a queue listing filtered by reason uses the partial index through instr();
#   6. instr() and julianday(), the SQLite functions Postgres/001 defines, give SQLite's results (exact doubles).
#
#   bash scripts/postgres-schema-check.sh [CONNECTION_STRING]
#
# CONNECTION_STRING (Npgsql form, as printed by scripts/postgres-local.sh; default $MODERATION_TEST_POSTGRES) names a
# role with CREATEDB: the check makes its own database and drops it. Neither given: a throwaway cluster is started
# with scripts/postgres-local.sh and stopped afterwards. SQLite runs through the sqlite3 CLI, or python3's sqlite3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
migrations=$root/src/Moderation.Storage/Migrations
scenario=$root/scripts/postgres-schema-check.sql
work=$(mktemp -d)
cluster= db=
cleanup() {
  [[ -n $db ]] && psql -X -q -d "$PGDATABASE" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  [[ -n $cluster ]] && bash "$root/scripts/postgres-local.sh" stop "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cs=${1:-${MODERATION_TEST_POSTGRES:-}}
if [[ -z $cs ]]; then
  cluster=$(mktemp -d)
  cs=$(bash "$root/scripts/postgres-local.sh" start "$cluster" 2>"$work/cluster.log") || { cat "$work/cluster.log" >&2; exit 1; }
fi
IFS=';' read -ra parts <<<"$cs"
for p in "${parts[@]}"; do
  key=$(tr '[:upper:]' '[:lower:]' <<<"${p%%=*}" | tr -d ' '); value=${p#*=}
  case $key in
    host|server) export PGHOST=$value ;;
    port) export PGPORT=$value ;;
    username|user|userid|"user id") export PGUSER=$value ;;
    password) export PGPASSWORD=$value ;;
    database) export PGDATABASE=$value ;;
  esac
done
export PGCONNECT_TIMEOUT=10 PGAPPNAME=postgres-schema-check
command -v psql >/dev/null || { echo "psql missing: apt-get install postgresql-client" >&2; exit 2; }

# SQLite: the CLI if installed, else python3's module (autocommit, rows as CLI list mode: fields joined by |).
sqlite_run() {
  if command -v sqlite3 >/dev/null; then sqlite3 -batch -bail "$1"; return; fi
  python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
statement = ""
try:
    for line in sys.stdin:
        statement += line
        if sqlite3.complete_statement(statement):
            for row in db.execute(statement):
                print("|".join("" if v is None else str(v) for v in row))
            statement = ""
except sqlite3.Error as e:
    print("Error: " + str(e), file=sys.stderr); sys.exit(1)' "$1"
}
pg_run() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

echo "== 1. migrations"
(cd "$migrations" && ls ./*.sql) | sed 's|^\./||' >"$work/sqlite-files"
(cd "$migrations/Postgres" && ls ./*.sql) | sed 's|^\./||' >"$work/pg-files"
diff "$work/sqlite-files" "$work/pg-files" >/dev/null || { fail "file names differ:"; diff "$work/sqlite-files" "$work/pg-files" || true; }
while read -r f; do
  head -n 1 "$migrations/Postgres/$f" | grep -q "mirror of \.\./$f" || fail "$f: first line does not say it mirrors ../$f"
done <"$work/pg-files"
db=schema_check_$$_$RANDOM
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
echo "PostgreSQL $(pg_run -c 'SHOW server_version'), database $db on $PGHOST:$PGPORT as $PGUSER"
while read -r f; do pg_run -1 -f "$migrations/Postgres/$f" >/dev/null 2>"$work/err" || { fail "$f on PostgreSQL:"; cat "$work/err"; exit 1; }; done <"$work/pg-files"
lite=$work/sqlite.db
while read -r f; do { echo "BEGIN;"; cat "$migrations/$f"; echo "COMMIT;"; } | sqlite_run "$lite" >/dev/null || { fail "$f on SQLite"; exit 1; }; done <"$work/sqlite-files"
echo "applied $(wc -l <"$work/pg-files") files to PostgreSQL and $(wc -l <"$work/sqlite-files") to SQLite ($(command -v sqlite3 >/dev/null && echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1)" || echo "python3 sqlite3"))"

echo "== 2. trigger scenario (scripts/postgres-schema-check.sql)"
sed -n 's/^-- expect: //p' "$scenario" >"$work/expected"
{ echo "PRAGMA foreign_keys = ON;"; cat "$scenario"; } | sqlite_run "$lite" >"$work/sqlite.out" 2>&1 || fail "scenario stopped on SQLite: $(tail -n 1 "$work/sqlite.out")"
pg_run -f "$scenario" >"$work/pg.out" 2>&1 || fail "scenario stopped on PostgreSQL: $(tail -n 1 "$work/pg.out")"
for engine in sqlite pg; do
  grep -v '^info ' "$work/$engine.out" >"$work/$engine.cmp" || true
  if diff -u --label expected --label "$engine" "$work/expected" "$work/$engine.cmp" >"$work/$engine.diff"; then
    echo "$engine: all $(wc -l <"$work/expected") probe lines as expected"
  else
    fail "$engine differs from the expected lines:"; cat "$work/$engine.diff"
  fi
done
{ sed -n 's/^info /known difference, SQLite:     /p' "$work/sqlite.out"; sed -n 's/^info /known difference, PostgreSQL: /p' "$work/pg.out"; }

echo "== 3. constraint violations fail on both engines"
# kind|statement: kind is the reason both engines must give (their own wording, below).
while IFS='|' read -r kind statement; do
  [[ -z $kind ]] && continue
  case $kind in
    check) lite_msg='CHECK constraint failed'; pg_msg='violates check constraint' ;;
    fk) lite_msg='FOREIGN KEY constraint failed'; pg_msg='violates foreign key constraint' ;;
    unique) lite_msg='UNIQUE constraint failed'; pg_msg='duplicate key value violates unique constraint' ;;
    notnull) lite_msg='NOT NULL constraint failed'; pg_msg='violates not-null constraint' ;;
  esac
  l=$( { echo "PRAGMA foreign_keys = ON;"; echo "$statement;"; } | sqlite_run "$lite" 2>&1 ) && fail "SQLite accepted: $statement"
  p=$(pg_run -c "$statement" 2>&1) && fail "PostgreSQL accepted: $statement"
  if grep -q "$lite_msg" <<<"$l" && grep -q "$pg_msg" <<<"$p"; then echo "ok ($kind): $statement"
  else fail "$statement: SQLite said '$(head -n 1 <<<"$l")', PostgreSQL '$(head -n 1 <<<"$p")'"; fi
done <<'CASES'
check|INSERT INTO settings (id, version, value, updated_at, updated_by) VALUES (2, 1, '{}', 't', 'k')
check|INSERT INTO term_df_generation (id, generation) VALUES (2, 0)
check|INSERT INTO report_generation (id, value) VALUES (2, 0)
fk|INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('nope', 'r9', 'spam', 't')
fk|INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at) VALUES ('c9', 'nope', 'x', 'received', 't', 't')
fk|DELETE FROM comments WHERE comment_id = 'c1'
fk|UPDATE comments SET comment_id = 'c1b' WHERE comment_id = 'c1'
fk|DELETE FROM articles WHERE article_id = 'a1'
unique|INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c3b', 'r2', 'spam', 't')
unique|INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at) VALUES ('c1', 'a1', 'x', 'received', 't', 't')
unique|INSERT INTO api_keys (key_id, name, role, key_hash, created_at) VALUES ('k1', 'n', 'admin', 'h', 't'), ('k2', 'n', 'admin', 'h', 't')
notnull|INSERT INTO articles (article_id, title, body, created_at, updated_at) VALUES ('a9', NULL, 'b', 't', 't')
notnull|INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at) VALUES ('c4', 'a2', NULL, 1, ',', '[]', 't')
CASES

echo "== 4. tables, columns, indexes, constraints, triggers"
pg_run -F $'\t' >"$work/pg-catalogue.tsv" <<'SQL'
SELECT 'table', table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE';
SELECT 'col', table_name, column_name, data_type, is_nullable = 'NO', coalesce(column_default, ''), is_identity
FROM information_schema.columns WHERE table_schema = 'public';
-- Indexes made by CREATE INDEX (not those behind a PRIMARY KEY or UNIQUE constraint: those are compared as constraints).
SELECT 'idx', t.relname, i.relname, ix.indisunique,
       string_agg(pg_get_indexdef(ix.indexrelid, k, true) || CASE WHEN ix.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, ', ' ORDER BY k),
       coalesce(pg_get_expr(ix.indpred, ix.indrelid), '')
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace, generate_series(1, ix.indnkeyatts) k
WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u'))
GROUP BY t.relname, i.relname, ix.indisunique, ix.indpred, ix.indrelid;
SELECT 'con', t.relname, c.contype,
       (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(att, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att),
       coalesce(r.relname, ''),
       coalesce((SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(att, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att), ''),
       c.confdeltype, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE n.nspname = 'public';
SELECT 'trg', t.relname, g.tgname, pg_get_triggerdef(g.oid), p.proname
FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND NOT g.tgisinternal;
SQL
python3 "$root/scripts/postgres-schema-compare.py" "$lite" "$work/pg-catalogue.tsv" || fail "the schemas differ (above)"

echo "== 5. EXPLAIN: the reason filter of the queue listing uses its partial index (instr inlined)"
query="SELECT comment_id FROM queue WHERE state = 'pending' AND instr(reason_codes, ',profanity,') > 0 ORDER BY priority DESC, flagged_at, comment_id LIMIT 50"
pg_run >"$work/explain" <<SQL
BEGIN;
INSERT INTO articles (article_id, title, body, created_at, updated_at) VALUES ('e1', 'T', 'B', 't', 't');
INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at)
    SELECT 'e' || g, 'e1', 'comment ' || g, 'pending', 't', 't' FROM generate_series(1, 20000) g;
INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
    SELECT 'e' || g, 'e1', CASE WHEN g % 4 = 0 THEN 'decided' ELSE 'pending' END, (g % 100) / 100.0,
           CASE WHEN g % 50 = 0 THEN ',profanity,' WHEN g % 7 = 0 THEN ',off_topic,profanity,' ELSE ',off_topic,' END, '[]',
           '2026-12-01T00:00:' || lpad((g % 60)::text, 2, '0') FROM generate_series(1, 20000) g;
ANALYZE queue;
SET LOCAL enable_seqscan = off;
EXPLAIN $query;
ROLLBACK;
SQL
echo "$query"; sed 's/^/  /' "$work/explain"
grep -q 'ix_queue_r_profanity_priority' "$work/explain" || fail "the plan does not use ix_queue_r_profanity_priority"
grep -q 'Sort' "$work/explain" && fail "the plan sorts: the index order is not used"

echo "== 6. SQLite's functions the storage SQL calls, defined in Postgres/001_initial.sql: the same results"
python3 - "$db" <<'PY' || fail "instr or julianday differs from SQLite (above)"
import random, sqlite3, subprocess, sys
cases = [("instr", a, b) for a, b in [("abc", "b"), ("abc", "z"), ("abc", ""), ("éa", "a"), (",profanity,off_topic,", ",off_topic,"), (None, "a")]]
times = ["2026-11-25T18:00:00.0000000+00:00", "2026-11-25T20:00:00.5+02:00", "2026-11-25T18:00:59.9999999+00:00",
         "2026-11-25T18:00:00", "2026-11-25T23:59:59.9995000-05:30", "2026-08-28T11:58:04.0825000+00:00", None]
rnd = random.Random(18)   # the service's format (7 fraction digits), a tenth of them on a millisecond's half
for i in range(2000):
    frac = rnd.randrange(10**7)
    if i % 10 == 0: frac = frac // 10000 * 10000 + rnd.choice([4995, 4999, 5000, 5001, 5004])
    times.append(f"20{rnd.randint(20, 40)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:"
                 f"{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}.{frac:07d}+00:00")
cases += [("julianday", t, None) for t in times]
lite = sqlite3.connect(":memory:")
text = lambda v: "NULL" if v is None else repr(v) if isinstance(v, float) else str(v)
expected = [text(lite.execute(f"SELECT {f}(?{', ?' if f == 'instr' else ''})", (a,) + ((b,) if f == "instr" else ())).fetchone()[0])
            for f, a, b in cases]
literal = lambda v: "NULL" if v is None else "'" + v.replace("'", "''") + "'"
sql = "".join(f"SELECT coalesce(({f}({literal(a)}{', ' + literal(b) if f == 'instr' else ''}))::text, 'NULL');\n" for f, a, b in cases)
got = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", sys.argv[1]], input=sql, text=True,
                     capture_output=True, check=True).stdout.split("\n")[:len(cases)]
bad = [(c, e, g) for c, e, g in zip(cases, expected, got) if e != g]
for c, e, g in bad[:10]: print(f"  {c[0]}({c[1]!r}{', ' + repr(c[2]) if c[0] == 'instr' else ''}): SQLite {e}, PostgreSQL {g}")
n = sum(1 for c in cases if c[0] == "instr")
print(f"{len(cases) - len(bad)} of {len(cases)} calls alike ({n} instr, {len(cases) - n} julianday, compared as exact doubles)")
sys.exit(1 if bad else 0)
PY

echo
if [[ $failures -eq 0 ]]; then echo "postgres-schema-check: OK"; else echo "postgres-schema-check: $failures failure(s)"; exit 1; fi
