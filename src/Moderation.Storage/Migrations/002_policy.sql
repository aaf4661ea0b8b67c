-- Settings an admin changes through the API (one row; JSON), effective without a restart.
CREATE TABLE settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE article_settings (
    article_id    TEXT PRIMARY KEY REFERENCES articles(article_id),
    premoderation INTEGER NOT NULL DEFAULT 0,
    closed        INTEGER NOT NULL DEFAULT 0,
    reasons       TEXT,              -- JSON thresholds per reason, overriding the global ones
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;

-- Reports remember the (hashed) address they came from even when a reporterId is given,
-- so many ids from one address weigh as one reader.
ALTER TABLE reports ADD COLUMN address_key TEXT;
CREATE INDEX ix_reports_reporter ON reports (reporter_key);
CREATE INDEX ix_comments_author ON comments (author_id, seq) WHERE author_id IS NOT NULL;

CREATE TABLE webhooks (
    webhook_id TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,        -- ',comment.flagged,comment.decided,' or ',*,'
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID;

-- Transactional outbox: an event is written in the same transaction as the change it reports,
-- and a dispatcher delivers it (at least once), retrying with backoff.
CREATE TABLE webhook_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id      TEXT NOT NULL REFERENCES webhooks(webhook_id),
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at    TEXT,
    failed_at       TEXT,
    last_status     INTEGER,
    last_error      TEXT
);
CREATE INDEX ix_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Queue order: priority (rounded to 0.01), then the longest waiting first.
DROP INDEX ix_queue_priority;
CREATE INDEX ix_queue_priority ON queue (state, priority DESC, flagged_at, comment_id);
