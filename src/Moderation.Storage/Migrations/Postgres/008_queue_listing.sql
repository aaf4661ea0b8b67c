-- PostgreSQL mirror of ../008_queue_listing.sql (conventions: 001_initial.sql in this folder).
-- The queue listing reads only the queue (QueueRepository.ListAsync). It used to join each entry to its comment
-- (excerpt, status: two B-tree probes) and count its reports (a third): with the entry itself, four random pages per
-- entry, ~1,600 for a page of 200 and the next one. In WAL mode a connection drops its whole page cache whenever
-- another connection committed since its last read, which the worker does several times a second, so those pages came
-- from the OS on nearly every request. Now the entry carries what the listing shows, kept exact by triggers whoever
-- writes (worker, report writer, decisions, undo, edits, imports): one random page per entry.
-- See docs/PERFORMANCE.md, "Queue listing".
ALTER TABLE queue ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN comment_status TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN report_count BIGINT NOT NULL DEFAULT 0;

-- The backfill of SQLite's migration; it finds no rows on a new PostgreSQL database, kept so the two files read alike.
UPDATE queue SET
    (excerpt, comment_status) = (SELECT substr(c.text, 1, 280), c.status FROM comments c WHERE c.comment_id = queue.comment_id),
    report_count = (SELECT count(*) FROM reports r WHERE r.comment_id = queue.comment_id);

-- A new entry takes them from its comment and its reports; later changes come through the triggers below.
-- An AFTER trigger updating the row just inserted, as on SQLite (a BEFORE trigger setting NEW would save PostgreSQL a
-- second row version, but would also run on the conflict path of INSERT ... ON CONFLICT DO UPDATE, where SQLite's
-- AFTER INSERT trigger does not). substr counts characters on both engines (SQLite: of UTF-8 text).
CREATE FUNCTION tr_queue_listing_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue SET
        (excerpt, comment_status) = (SELECT substr(c.text, 1, 280), c.status FROM comments c WHERE c.comment_id = NEW.comment_id),
        report_count = (SELECT count(*) FROM reports r WHERE r.comment_id = NEW.comment_id)
    WHERE comment_id = NEW.comment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER tr_queue_listing_insert AFTER INSERT ON queue
FOR EACH ROW EXECUTE FUNCTION tr_queue_listing_insert();

CREATE FUNCTION tr_queue_listing_comment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue SET excerpt = substr(NEW.text, 1, 280), comment_status = NEW.status WHERE comment_id = NEW.comment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER tr_queue_listing_comment AFTER UPDATE OF status, text ON comments
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.text IS DISTINCT FROM NEW.text)
EXECUTE FUNCTION tr_queue_listing_comment();

CREATE FUNCTION tr_queue_listing_report_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue SET report_count = report_count + 1 WHERE comment_id = NEW.comment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER tr_queue_listing_report_insert AFTER INSERT ON reports
FOR EACH ROW EXECUTE FUNCTION tr_queue_listing_report_insert();

CREATE FUNCTION tr_queue_listing_report_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue SET report_count = report_count - 1 WHERE comment_id = OLD.comment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER tr_queue_listing_report_delete AFTER DELETE ON reports
FOR EACH ROW EXECUTE FUNCTION tr_queue_listing_report_delete();

CREATE FUNCTION tr_queue_listing_report_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue SET report_count = report_count - 1 WHERE comment_id = OLD.comment_id;
    UPDATE queue SET report_count = report_count + 1 WHERE comment_id = NEW.comment_id;
    RETURN NULL;
END $$;
CREATE TRIGGER tr_queue_listing_report_move AFTER UPDATE OF comment_id ON reports
FOR EACH ROW
WHEN (OLD.comment_id IS DISTINCT FROM NEW.comment_id)
EXECUTE FUNCTION tr_queue_listing_report_move();
