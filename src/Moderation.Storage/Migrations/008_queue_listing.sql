-- The queue listing reads only the queue (QueueRepository.ListAsync). It used to join each entry to its comment
-- (excerpt, status: two B-tree probes) and count its reports (a third): with the entry itself, four random pages per
-- entry, ~1,600 for a page of 200 and the next one. In WAL mode a connection drops its whole page cache whenever
-- another connection committed since its last read, which the worker does several times a second, so those pages came
-- from the OS on nearly every request. Now the entry carries what the listing shows, kept exact by triggers whoever
-- writes (worker, report writer, decisions, undo, edits, imports): one random page per entry.
-- See docs/PERFORMANCE.md, "Queue listing".
ALTER TABLE queue ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN comment_status TEXT NOT NULL DEFAULT '';
ALTER TABLE queue ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;

UPDATE queue SET
    (excerpt, comment_status) = (SELECT substr(c.text, 1, 280), c.status FROM comments c WHERE c.comment_id = queue.comment_id),
    report_count = (SELECT count(*) FROM reports r WHERE r.comment_id = queue.comment_id);

-- A new entry takes them from its comment and its reports; later changes come through the triggers below.
CREATE TRIGGER tr_queue_listing_insert AFTER INSERT ON queue
BEGIN
    UPDATE queue SET
        (excerpt, comment_status) = (SELECT substr(c.text, 1, 280), c.status FROM comments c WHERE c.comment_id = new.comment_id),
        report_count = (SELECT count(*) FROM reports r WHERE r.comment_id = new.comment_id)
    WHERE comment_id = new.comment_id;
END;

CREATE TRIGGER tr_queue_listing_comment AFTER UPDATE OF status, text ON comments
WHEN old.status IS NOT new.status OR old.text IS NOT new.text
BEGIN
    UPDATE queue SET excerpt = substr(new.text, 1, 280), comment_status = new.status WHERE comment_id = new.comment_id;
END;

CREATE TRIGGER tr_queue_listing_report_insert AFTER INSERT ON reports
BEGIN
    UPDATE queue SET report_count = report_count + 1 WHERE comment_id = new.comment_id;
END;

CREATE TRIGGER tr_queue_listing_report_delete AFTER DELETE ON reports
BEGIN
    UPDATE queue SET report_count = report_count - 1 WHERE comment_id = old.comment_id;
END;

CREATE TRIGGER tr_queue_listing_report_move AFTER UPDATE OF comment_id ON reports
WHEN old.comment_id IS NOT new.comment_id
BEGIN
    UPDATE queue SET report_count = report_count - 1 WHERE comment_id = old.comment_id;
    UPDATE queue SET report_count = report_count + 1 WHERE comment_id = new.comment_id;
END;
