-- PostgreSQL mirror of ../013_inbox_wakeups.sql (a no-op there). A comment that starts waiting for the worker (a new comment, an
-- edit, a rescore: whoever writes it) notifies channel moderation_inbox, so idle workers in every process wake at
-- once instead of polling (Inbox/InboxWakeups.cs). PostgreSQL delivers one notification per channel and payload per
-- transaction, however many rows the transaction made waiting, and only after it commits.
CREATE FUNCTION tr_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('moderation_inbox', '');
    RETURN NULL;
END $$;

CREATE TRIGGER tr_inbox_notify_insert AFTER INSERT ON comments
FOR EACH ROW WHEN (NEW.status = 'received') EXECUTE FUNCTION tr_inbox_notify();

CREATE TRIGGER tr_inbox_notify_update AFTER UPDATE OF status, text_version ON comments
FOR EACH ROW WHEN (NEW.status = 'received' AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.text_version IS DISTINCT FROM NEW.text_version))
EXECUTE FUNCTION tr_inbox_notify();
