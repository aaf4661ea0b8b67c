-- The report writer keeps each comment's report rows in memory between reports (Storage/Reports/TallyCache.cs), so a
-- report costs one probe of its own reporter instead of re-reading every report on the comment and each reporter's
-- record. A tally depends on the comment's reports and on each reporter's record (their reports on comments that
-- moderators rejected or approved). Whatever can change either bumps this counter, whoever writes it (the report
-- writer, decisions, undo, bulk, a rescore, imports, a hand-run statement); the writer forgets what it holds when
-- the counter moved by anything but its own report. Each inserted report bumps it by exactly one.
CREATE TABLE report_generation (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO report_generation (id, value) VALUES (1, 0);

CREATE TRIGGER tr_report_generation_report_insert AFTER INSERT ON reports
BEGIN UPDATE report_generation SET value = value + 1; END;

CREATE TRIGGER tr_report_generation_report_update AFTER UPDATE ON reports
BEGIN UPDATE report_generation SET value = value + 1; END;

CREATE TRIGGER tr_report_generation_report_delete AFTER DELETE ON reports
BEGIN UPDATE report_generation SET value = value + 1; END;

-- Only a change into, out of or between the decided states moves a reporter's record: the worker's received →
-- published and the writer's own pending/hidden changes do not touch the counter.
CREATE TRIGGER tr_report_generation_comment_status AFTER UPDATE OF status, comment_id ON comments
WHEN old.comment_id IS NOT new.comment_id
  OR (old.status IS NOT new.status AND (old.status IN ('approved', 'rejected') OR new.status IN ('approved', 'rejected')))
BEGIN UPDATE report_generation SET value = value + 1; END;

CREATE TRIGGER tr_report_generation_comment_delete AFTER DELETE ON comments
BEGIN UPDATE report_generation SET value = value + 1; END;
