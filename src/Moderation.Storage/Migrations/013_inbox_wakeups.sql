-- PostgreSQL only (Migrations/Postgres/013_inbox_wakeups.sql): there a comment that starts waiting for the worker
-- sends a NOTIFY, so idle workers in other processes wake at once (Inbox/InboxWakeups.cs). On SQLite every writer
-- and the worker share one process, which wakes its worker in memory (WorkSignal); nothing to add to the schema.
SELECT 1;
