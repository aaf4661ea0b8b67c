-- PostgreSQL mirror of ../003_sources.sql (conventions: 001_initial.sql in this folder).
-- Pull connectors (WordPress REST, JSON feeds): one row per configured source, keyed by its name.
-- The cursor is the connector's own text (WordPress: the last comment's date_gmt and id;
-- a feed: the opaque cursor it handed out). It only ever moves past comments that were ingested.

CREATE TABLE sources (
    name              TEXT PRIMARY KEY,
    type              TEXT NOT NULL,
    url               TEXT NOT NULL,
    cursor            TEXT,
    comments_ingested BIGINT NOT NULL DEFAULT 0,
    last_poll_at      TEXT,
    last_success_at   TEXT,
    last_error        TEXT,
    last_error_at     TEXT,
    last_rescan_at    TEXT,
    created_at        TEXT NOT NULL
);
