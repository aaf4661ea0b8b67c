-- WordPress both ways (issue 20, docs/CONNECTORS.md "Two ways").
--
-- source_comments: which comment of which source a comment is, and its status on the site. site_status is what the
-- site's own moderation gave it when last read (approved, hold, spam, trash); written_status is what this service last
-- set there itself. A status read back that equals written_status is our own write coming back, not a new event; nor
-- is a status read before written_at (a page fetched before our write landed).
CREATE TABLE source_comments (
    comment_id     TEXT PRIMARY KEY REFERENCES comments(comment_id) ON DELETE CASCADE,
    source         TEXT NOT NULL,
    remote_id      INTEGER NOT NULL,
    site_status    TEXT NOT NULL,
    written_status TEXT,
    written_at     TEXT,
    seen_at        TEXT NOT NULL
) WITHOUT ROWID;

-- Write-back outbox: a row is written in the same transaction as the status change it reports, so a decision made
-- while the site is down is applied when it is back. The dispatcher reads the comment's status when it sends (only the
-- latest matters) and retries with backoff. result: the status written, or unchanged / superseded / off / failed.
CREATE TABLE source_writebacks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id      TEXT NOT NULL REFERENCES comments(comment_id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    done_at         TEXT,
    result          TEXT,
    last_error      TEXT
);
CREATE INDEX ix_writebacks_due ON source_writebacks (next_attempt_at) WHERE done_at IS NULL;
CREATE INDEX ix_writebacks_comment ON source_writebacks (comment_id) WHERE done_at IS NULL;

-- Posts a source could not read (deleted, private, a type the REST API does not show): asked again on a backoff,
-- never once per comment.
CREATE TABLE source_posts (
    source          TEXT NOT NULL,
    post_id         INTEGER NOT NULL,
    failures        INTEGER NOT NULL,
    last_reason     TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    PRIMARY KEY (source, post_id)
) WITHOUT ROWID;

-- Counters that say what they mean; comments_ingested counts new comments only from now on.
ALTER TABLE sources ADD COLUMN comments_edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN status_changes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN write_backs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_write_back_error TEXT;
ALTER TABLE sources ADD COLUMN last_write_back_error_at TEXT;
ALTER TABLE sources ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_skip_reason TEXT;
-- When the site last accepted (authenticated_at) or refused (auth_refused_at) the credentials.
ALTER TABLE sources ADD COLUMN authenticated_at TEXT;
ALTER TABLE sources ADD COLUMN auth_refused_at TEXT;
