-- PostgreSQL mirror of ../007_report_generation.sql (conventions: 001_initial.sql in this folder).
-- The report writer keeps each comment's report rows in memory between reports (Storage/Reports/TallyCache.cs), so a
-- report costs one probe of its own reporter instead of re-reading every report on the comment and each reporter's
-- record. A tally depends on the comment's reports and on each reporter's record (their reports on comments that
-- moderators rejected or approved). Whatever can change either bumps this counter, whoever writes it (the report
-- writer, decisions, undo, bulk, a rescore, imports, a hand-run statement); the writer forgets what it holds when
-- the counter moved by anything but its own report. Each inserted report bumps it by exactly one.
-- As on SQLite, every trigger is a row trigger (one bump per row); an INSERT ... ON CONFLICT DO NOTHING that inserts
-- nothing bumps nothing, and an ON CONFLICT DO UPDATE that updates fires the UPDATE triggers, on both engines.
CREATE TABLE report_generation (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO report_generation (id, value) VALUES (1, 0);

CREATE FUNCTION tr_report_generation_report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE report_generation SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_report_generation_report_insert AFTER INSERT ON reports
FOR EACH ROW EXECUTE FUNCTION tr_report_generation_report_insert();

CREATE FUNCTION tr_report_generation_report_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE report_generation SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_report_generation_report_update AFTER UPDATE ON reports
FOR EACH ROW EXECUTE FUNCTION tr_report_generation_report_update();

CREATE FUNCTION tr_report_generation_report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE report_generation SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_report_generation_report_delete AFTER DELETE ON reports
FOR EACH ROW EXECUTE FUNCTION tr_report_generation_report_delete();

-- Only a change into, out of or between the decided states moves a reporter's record: the worker's received →
-- published and the writer's own pending/hidden changes do not touch the counter.
-- `UPDATE OF status, comment_id` fires, on both engines, when the statement's SET names either column (whatever the
-- value); the WHEN condition then looks at the values (SQLite's `IS NOT` is IS DISTINCT FROM).
CREATE FUNCTION tr_report_generation_comment_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE report_generation SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_report_generation_comment_status AFTER UPDATE OF status, comment_id ON comments
FOR EACH ROW
WHEN (OLD.comment_id IS DISTINCT FROM NEW.comment_id
  OR (OLD.status IS DISTINCT FROM NEW.status AND (OLD.status IN ('approved', 'rejected') OR NEW.status IN ('approved', 'rejected'))))
EXECUTE FUNCTION tr_report_generation_comment_status();

CREATE FUNCTION tr_report_generation_comment_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE report_generation SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_report_generation_comment_delete AFTER DELETE ON comments
FOR EACH ROW EXECUTE FUNCTION tr_report_generation_comment_delete();
