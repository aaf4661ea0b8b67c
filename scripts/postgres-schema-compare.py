#!/usr/bin/env python3
"""Compares the schema of a SQLite database (built from src/Moderation.Storage/Migrations/*.sql) with a catalogue dump
of a PostgreSQL database (built from Migrations/Postgres/*.sql; the dump is the output of the queries in
scripts/postgres-schema-check.sh): tables, columns (mapped type, NOT NULL, default, identity), explicit indexes
(columns, order, UNIQUE, partial predicate), primary keys, UNIQUE constraints, foreign keys, CHECK constraints and
triggers (timing, event, UPDATE OF columns, WHEN condition). Prints every difference; exit status 1 if there is one.

    python3 scripts/postgres-schema-compare.py SQLITE_DB PG_CATALOGUE_TSV

Predicates and WHEN conditions are compared as text after both engines' spellings are brought to one (PostgreSQL
prints `IS DISTINCT FROM`, `= ANY (ARRAY[...])`, casts and extra parentheses): a textual check. What the triggers
do is checked by running the same statements on both (scripts/postgres-schema-check.sql).
"""
import re
import sqlite3
import sys

TYPES = {"INTEGER": "bigint", "REAL": "double precision", "BLOB": "bytea", "TEXT": "text"}
ON_DELETE = {"a": "NO ACTION", "c": "CASCADE", "r": "RESTRICT", "n": "SET NULL", "d": "SET DEFAULT"}


def norm_expr(s):
    """One spelling for a predicate or condition written for SQLite or printed by PostgreSQL."""
    s = s.strip().rstrip(";").lower()
    s = re.sub(r"::[a-z ]+?(\[\])?(?=[\s),\]]|$)", "", s)  # casts PostgreSQL adds: 'x'::text
    s = s.replace(" is distinct from ", " is not ")
    s = re.sub(r"= any \(array\[(.*?)\]\)", r"in (\1)", s)
    s = re.sub(r"[()\[\]]", " ", s)  # grouping: PostgreSQL parenthesises every operation
    return re.sub(r"\s+", " ", s).strip()


def sqlite_schema(path):
    db = sqlite3.connect(path)
    q = lambda sql, *a: db.execute(sql, a).fetchall()
    out = set()
    tables = [r[0] for r in q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        sql = q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", t)[0][0]
        out.add(("table", t))
        cols = q("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", t)
        for name, typ, notnull, dflt, pk in cols:
            # A primary key column is NOT NULL on PostgreSQL; SQLite allows NULL in a non-INTEGER primary key of a rowid
            # table (a documented SQLite quirk), which no writer here relies on.
            identity = pk == 1 and typ.upper() == "INTEGER" and "AUTOINCREMENT" in sql.upper()
            out.add(("column", t, name, TYPES.get(typ.upper(), typ.lower()), "not null" if notnull or pk else "null",
                     "default " + (dflt or "-"), "identity" if identity else "-"))
        pk = [r[0] for r in sorted((r for r in cols if r[4]), key=lambda r: r[4])]
        if pk:
            out.add(("primary key", t, ", ".join(pk)))
        for _, iname, unique, origin, partial in q("SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list(?)", t):
            keys = q("SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", iname)
            cols_ = ", ".join(n + (" DESC" if d else "") for n, d in keys)
            if origin == "u":
                out.add(("unique", t, cols_))
            elif origin == "c":
                isql = q("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", iname)[0][0]
                m = re.search(r"\bWHERE\b(.*)$", isql, re.S | re.I)
                out.add(("index", t, iname, cols_, "unique" if unique else "-", norm_expr(m.group(1)) if m else "-"))
        fks = {}
        for fid, _, table, frm, to, _, on_delete, _ in q("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq", t):
            f = fks.setdefault(fid, [table, [], [], on_delete])
            f[1].append(frm)
            f[2].append(to)
        for table, frm, to, on_delete in fks.values():
            out.add(("foreign key", t, ", ".join(frm), table, ", ".join(to), "on delete " + on_delete))
        for m in re.finditer(r"\bCHECK\s*\(((?:[^()]|\([^()]*\))*)\)", sql, re.I):
            out.add(("check", t, norm_expr(m.group(1))))
    for name, table, sql in q("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"):
        m = re.match(r"CREATE TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)(?:\s+OF\s+(.*?))?\s+ON\s+(\w+)\s*"
                     r"(?:FOR EACH ROW\s*)?(?:WHEN\s+(.*?))?\s*BEGIN\b", sql, re.S | re.I)
        if not m:
            out.add(("trigger", table, name, "unparsed: " + sql[:60]))
            continue
        out.add(("trigger", table, name, m.group(2).upper(), m.group(3).upper(),
                 "of " + re.sub(r"\s*,\s*", ", ", m.group(4).strip()) if m.group(4) else "-",
                 "when " + norm_expr(m.group(6)) if m.group(6) else "-"))
    return out


def postgres_schema(path):
    out = set()
    problems = []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        kind = f[0]
        if kind == "table":
            out.add(("table", f[1]))
        elif kind == "col":
            _, t, name, typ, notnull, dflt, identity = f
            dflt = re.sub(r"::[a-z ]+$", "", dflt) if dflt else "-"
            out.add(("column", t, name, typ, "not null" if notnull == "t" else "null", "default " + dflt,
                     "identity" if identity == "YES" else "-"))
        elif kind == "idx":
            _, t, name, unique, cols, pred = f
            out.add(("index", t, name, cols, "unique" if unique == "t" else "-", norm_expr(pred) if pred else "-"))
        elif kind == "con":
            _, t, contype, cols, reftable, refcols, deltype, definition = f
            if contype == "p":
                out.add(("primary key", t, cols))
            elif contype == "u":
                out.add(("unique", t, cols))
            elif contype == "f":
                out.add(("foreign key", t, cols, reftable, refcols, "on delete " + ON_DELETE[deltype]))
            elif contype == "c":
                out.add(("check", t, norm_expr(re.sub(r"^CHECK\s*", "", definition))))
        elif kind == "trg":
            _, t, name, definition, function = f
            m = re.match(r"CREATE TRIGGER (\w+) (BEFORE|AFTER) (INSERT|UPDATE|DELETE)(?: OF (.*?))? ON \S+ FOR EACH ROW"
                         r"(?: WHEN \((.*)\))? EXECUTE FUNCTION", definition)
            if not m:
                out.add(("trigger", t, name, "unparsed: " + definition[:60]))
                continue
            out.add(("trigger", t, name, m.group(2), m.group(3), "of " + m.group(4) if m.group(4) else "-",
                     "when " + norm_expr(m.group(5)) if m.group(5) else "-"))
            if function != name:
                problems.append(f"trigger {name} runs function {function}, not one named after it")
    return out, problems


# What exists on PostgreSQL alone, on purpose (and only these): the NOTIFY that wakes workers in other processes
# (Migrations/Postgres/013_inbox_wakeups.sql; on SQLite every writer shares the worker's process). One function serves
# both of its triggers.
POSTGRES_ONLY_TRIGGERS = {"tr_inbox_notify_insert", "tr_inbox_notify_update"}


def main():
    lite = sqlite_schema(sys.argv[1])
    pg, problems = postgres_schema(sys.argv[2])
    pg = {k for k in pg if not (k[0] == "trigger" and k[2] in POSTGRES_ONLY_TRIGGERS)}
    problems = [p for p in problems if not any(p.startswith(f"trigger {t} ") for t in POSTGRES_ONLY_TRIGGERS)]
    kinds = sorted({k[0] for k in lite | pg})
    for kind in kinds:
        a = {k for k in lite if k[0] == kind}
        b = {k for k in pg if k[0] == kind}
        label = {"index": "indexes", "check": "checks"}.get(kind, kind + "s") + ":"
        print(f"  {label:14} {len(a):3} in SQLite, {len(b):3} in PostgreSQL, {len(a & b):3} identical")
    for k in sorted(lite - pg):
        problems.append("only in SQLite:     " + " | ".join(k))
    for k in sorted(pg - lite):
        problems.append("only in PostgreSQL: " + " | ".join(k))
    for p in problems:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
