-- The trigger scenario of scripts/postgres-schema-check.sh: the same statements run on a SQLite database built from
-- src/Moderation.Storage/Migrations/*.sql and on a PostgreSQL database built from Migrations/Postgres/*.sql, so every
-- statement here is valid on both engines. Each probe prints one line per row; the `-- expect:` lines below it are what
-- SQLite's triggers give (worked out from the trigger text of 004/007/008; the check also runs them on SQLite), and both
-- engines must print exactly those lines, in that order. Lines starting with `info` are shown, not compared.

-- 004: term_df_generation moves once per row inserted into or deleted from articles, and once per row inserted,
-- updated or deleted in term_df (whatever the values).
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 0
INSERT INTO articles (article_id, title, body, created_at, updated_at) VALUES ('a1', 'Bike lanes', 'Body one', 't0', 't0');
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 1
INSERT INTO articles (article_id, title, body, created_at, updated_at) VALUES ('a2', 'Budget', 'Body two', 't0', 't0'), ('a3', 'Gone', 'Body three', 't0', 't0');
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 3
UPDATE articles SET title = 'Bike lanes, again', version = version + 1 WHERE article_id = 'a1';
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 3
DELETE FROM articles WHERE article_id = 'a3';
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 4
INSERT INTO term_df (term, df) VALUES ('bike', 1), ('lane', 1), ('vote', 1);
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 7
-- An upsert that meets its conflict fires the UPDATE trigger, not the INSERT one (one bump either way).
INSERT INTO term_df (term, df) VALUES ('bike', 1) ON CONFLICT (term) DO UPDATE SET df = term_df.df + 1;
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 8
INSERT INTO term_df (term, df) VALUES ('lane', 1) ON CONFLICT (term) DO NOTHING;
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 8
UPDATE term_df SET df = df WHERE term IN ('lane', 'vote');
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 10
UPDATE term_df SET df = 5 WHERE term = 'absent';
SELECT 'gen ' || generation FROM term_df_generation;
-- expect: gen 10
DELETE FROM term_df WHERE term IN ('lane', 'vote');
INSERT INTO article_terms (article_id, term) VALUES ('a1', 'bike');
SELECT 'gen ' || generation || ' df bike ' || df FROM term_df_generation, term_df WHERE term = 'bike';
-- expect: gen 12 df bike 2

-- 007: report_generation moves once per report row updated or deleted, once per comment deleted, and on a comment
-- update that changes comment_id or moves status into, out of or between approved/rejected. 014: a report's insert
-- moves nothing (007 counted it, and 008 added it to its queue entry's report_count, until then): the report writer
-- writes both itself, and where this scenario inserts a report it runs the writer's statements after it
-- (ReportWriter.Statements: BumpCounter once per group, CountQueued or QueueRepository.FlagReportedSql per report).
INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at) VALUES
    ('c1', 'a1', 'First comment', 'received', 't1', 't1'),
    ('c2', 'a1', 'Second comment', 'received', 't1', 't1'),
    ('c3', 'a2', 'Third comment', 'received', 't1', 't1');
-- c4: 'x' and 300 × 'é' (two bytes each in UTF-8): the excerpt is 280 characters on both engines, not 280 bytes.
INSERT INTO comments (comment_id, article_id, text, status, received_at, updated_at)
    WITH RECURSIVE r(n, s) AS (SELECT 1, CAST('x' AS TEXT) UNION ALL SELECT n + 1, s || 'é' FROM r WHERE n <= 300)
    SELECT 'c4', 'a2', s, 'published', 't1', 't1' FROM r WHERE n = 301;
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 0
INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c1', 'r1', 'spam', 't2'), ('c1', 'r2', 'spam', 't2');
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 0
UPDATE report_generation SET value = value + 2;
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 2
INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c1', 'r1', 'spam', 't2') ON CONFLICT (comment_id, reporter_key) DO NOTHING;
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 2

-- 008: a new queue entry takes excerpt, status and report count from its comment and reports (QueueRepository.FlagSql).
INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
SELECT comment_id, article_id, 'pending', 0.5, ',profanity,', '[]', 't3' FROM comments WHERE comment_id IN ('c1', 'c4')
ON CONFLICT (comment_id) DO UPDATE SET
    flagged_at = CASE WHEN queue.state = 'pending' THEN queue.flagged_at ELSE excluded.flagged_at END,
    state = 'pending', priority = excluded.priority, reason_codes = excluded.reason_codes, reasons = excluded.reasons,
    decided_at = NULL, decided_by = NULL, action = NULL, decision_reason = NULL, note = NULL;
SELECT 'q ' || comment_id || ' ' || comment_status || ' ' || report_count || ' ' || length(excerpt) || ' ' || substr(excerpt, 1, 5) || substr(excerpt, 279) FROM queue ORDER BY comment_id;
-- expect: q c1 received 2 13 First
-- expect: q c4 published 0 280 xéééééé
-- The conflict path of the same upsert fires no INSERT trigger on either engine: a count set by hand stays.
UPDATE queue SET report_count = 99 WHERE comment_id = 'c1';
INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
SELECT comment_id, article_id, 'pending', 0.7, ',profanity,off_topic,', '[]', 't4' FROM comments WHERE comment_id = 'c1'
ON CONFLICT (comment_id) DO UPDATE SET
    flagged_at = CASE WHEN queue.state = 'pending' THEN queue.flagged_at ELSE excluded.flagged_at END,
    state = 'pending', priority = excluded.priority, reason_codes = excluded.reason_codes, reasons = excluded.reasons,
    decided_at = NULL, decided_by = NULL, action = NULL, decision_reason = NULL, note = NULL;
SELECT 'q ' || comment_id || ' ' || report_count || ' ' || flagged_at || ' ' || reason_codes FROM queue WHERE comment_id = 'c1';
-- expect: q c1 99 t3 ,profanity,off_topic,
UPDATE queue SET report_count = 2 WHERE comment_id = 'c1';

-- Status changes: the queue entry follows every change; the counter only those touching approved/rejected.
UPDATE comments SET status = 'published', updated_at = 't5' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 2 q published
UPDATE comments SET status = 'approved' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 3 q approved
UPDATE comments SET status = 'approved' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 3 q approved
UPDATE comments SET status = 'rejected' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 4 q rejected
UPDATE comments SET status = 'pending' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q pending
UPDATE comments SET status = 'hidden' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q hidden
-- An edit: the excerpt follows the text; the counter does not move.
UPDATE comments SET text = 'Edited comment', text_version = text_version + 1 WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || comment_status || ' ' || excerpt FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q hidden Edited comment
-- A statement that names neither column fires neither trigger, even when the entry was changed by hand.
UPDATE queue SET excerpt = 'by hand' WHERE comment_id = 'c1';
UPDATE comments SET updated_at = 't6', lease_owner = 'w1' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || excerpt FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q by hand
-- Naming the column with its current value fires the trigger but its WHEN is false: nothing changes.
UPDATE comments SET text = text, status = status WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || excerpt FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q by hand
UPDATE comments SET text = 'Edited comment!' WHERE comment_id = 'c1';
SELECT 'rg ' || value || ' q ' || excerpt FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 5 q Edited comment!
-- One statement over several rows: one bump per row moving into approved (c1 hidden→approved, c2 received→approved).
UPDATE comments SET status = 'approved' WHERE article_id = 'a1';
SELECT 'rg ' || value || ' q ' || comment_status FROM report_generation, queue WHERE comment_id = 'c1';
-- expect: rg 7 q approved
-- comment_id changes bump the counter (c3 has no rows referencing it); the same value does not.
UPDATE comments SET comment_id = 'c3b' WHERE comment_id = 'c3';
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 8
UPDATE comments SET comment_id = comment_id WHERE comment_id = 'c3b';
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 8

-- Reports against queued comments: the entry's report_count follows inserts, moves and deletes.
INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at)
SELECT comment_id, article_id, 'pending', 0.2, ',reader_reports,', '[]', 't7' FROM comments WHERE comment_id = 'c2';
INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c2', 'r3', 'abuse', 't7');
SELECT 'rg ' || value || ' q ' || report_count FROM report_generation, queue WHERE comment_id = 'c2';
-- expect: rg 8 q 0
UPDATE queue SET report_count = report_count + 1 WHERE comment_id = 'c2';
UPDATE report_generation SET value = value + 1;
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 9
SELECT 'q ' || comment_id || ' ' || comment_status || ' ' || report_count FROM queue ORDER BY comment_id;
-- expect: q c1 approved 2
-- expect: q c2 approved 1
-- expect: q c4 published 0
UPDATE reports SET reason = 'abuse' WHERE comment_id = 'c1';
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 11
UPDATE reports SET comment_id = 'c2' WHERE comment_id = 'c1' AND reporter_key = 'r1';
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 12
UPDATE reports SET comment_id = 'c3b' WHERE reporter_key = 'r2';
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 13
UPDATE reports SET comment_id = comment_id;
SELECT 'rg ' || value FROM report_generation;
-- expect: rg 16
SELECT 'q ' || comment_id || ' ' || report_count FROM queue ORDER BY comment_id;
-- expect: q c1 0
-- expect: q c2 2
-- expect: q c4 0
-- A decided entry made by a decision (QueueRepository.DecideAsync's insert) also takes its comment's values.
INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at, decided_at, decided_by, action, decision_reason, note)
SELECT comment_id, article_id, 'decided', 0, ',', '[]', 't8', 't8', 'k1', 'reject', NULL, NULL FROM comments WHERE comment_id = 'c3b'
ON CONFLICT (comment_id) DO UPDATE SET state = 'decided', decided_at = 't8', decided_by = 'k1', action = 'reject';
UPDATE comments SET status = 'rejected' WHERE comment_id = 'c3b';
SELECT 'rg ' || value || ' q ' || comment_id || ' ' || state || ' ' || comment_status || ' ' || report_count || ' ' || excerpt FROM report_generation, queue WHERE comment_id = 'c3b';
-- expect: rg 17 q c3b decided rejected 1 Third comment
DELETE FROM reports WHERE comment_id = 'c2' AND reporter_key = 'r1';
SELECT 'rg ' || value || ' q ' || report_count FROM report_generation, queue WHERE comment_id = 'c2';
-- expect: rg 18 q 1

-- Deleting a comment: its reports and queue entry first (no cascade there), then the comment, whose decided text,
-- source row and write-backs go with it (ON DELETE CASCADE).
INSERT INTO decided_texts (comment_id, text_version, text, decision, saved_at) VALUES ('c2', 1, 'Second comment', 'approved', 't9');
INSERT INTO source_comments (comment_id, source, remote_id, site_status, seen_at) VALUES ('c2', 'wp', 42, 'approved', 't9');
INSERT INTO source_writebacks (comment_id, status, created_at, next_attempt_at) VALUES ('c2', 'approved', 't9', 't9');
DELETE FROM reports WHERE comment_id = 'c2';
DELETE FROM queue WHERE comment_id = 'c2';
DELETE FROM comments WHERE comment_id = 'c2';
SELECT 'rg ' || value || ' left ' || (SELECT count(*) FROM decided_texts) || (SELECT count(*) FROM source_comments) || (SELECT count(*) FROM source_writebacks) FROM report_generation;
-- expect: rg 20 left 000

-- Upserts that add to the stored value, written as the repositories must write them to run on both engines
-- (PostgreSQL rejects an unqualified `version + 1` in DO UPDATE as ambiguous with excluded.version).
INSERT INTO settings (id, version, value, updated_at, updated_by) VALUES (1, 1, '{}', 't9', 'k1')
ON CONFLICT (id) DO UPDATE SET version = settings.version + 1, value = excluded.value;
INSERT INTO settings (id, version, value, updated_at, updated_by) VALUES (1, 1, '{"a":1}', 't9', 'k1')
ON CONFLICT (id) DO UPDATE SET version = settings.version + 1, value = excluded.value;
SELECT 'settings ' || id || ' ' || version || ' ' || value FROM settings;
-- expect: settings 1 2 {"a":1}
-- Defaults of the columns added by ALTER TABLE.
INSERT INTO sources (name, type, url, created_at) VALUES ('wp', 'wordpress', 'http://x', 't9');
SELECT 'source ' || comments_ingested || comments_edited || status_changes || write_backs || skipped || ' ' || coalesce(last_skip_reason, 'null') FROM sources;
-- expect: source 00000 null

-- A rolled-back report leaves no trace in the counters on either engine (the writer's writes roll back with it).
-- Shown only, not compared (`info`): the id of the next report. SQLite's AUTOINCREMENT counter rolls back too and
-- hands the same id out again; a PostgreSQL identity (a sequence) never goes back, so ids have gaps there. Nothing
-- relies on ids being dense or reused.
BEGIN;
INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c4', 'r5', 'spam', 't10');
UPDATE queue SET report_count = report_count + 1 WHERE comment_id = 'c4';
UPDATE report_generation SET value = value + 1;
ROLLBACK;
INSERT INTO reports (comment_id, reporter_key, reason, created_at) VALUES ('c4', 'r6', 'spam', 't10');
UPDATE queue SET report_count = report_count + 1 WHERE comment_id = 'c4';
UPDATE report_generation SET value = value + 1;
SELECT 'info id of a report inserted after a rolled-back one: ' || id FROM reports WHERE reporter_key = 'r6';
SELECT 'rg ' || value || ' q ' || report_count FROM report_generation, queue WHERE comment_id = 'c4';
-- expect: rg 21 q 1
