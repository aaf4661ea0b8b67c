-- Times are ISO 8601 UTC text ('2026-11-25T18:00:00.0000000+00:00'), compared as text.

CREATE TABLE articles (
    article_id      TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    url             TEXT,
    published_at    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    -- The scorer's per-article work (embeddings, sentences), built once per version by the worker.
    profile         BLOB,
    profile_version TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Document frequencies over the article collection, for IDF.
CREATE TABLE article_terms (
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    term       TEXT NOT NULL,
    PRIMARY KEY (article_id, term)
) WITHOUT ROWID;
CREATE TABLE term_df (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE comments (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id    TEXT NOT NULL UNIQUE,
    article_id    TEXT NOT NULL REFERENCES articles(article_id),
    text          TEXT NOT NULL,
    -- Bumped on every edit; the worker's write is idempotent on (comment_id, text_version).
    text_version  INTEGER NOT NULL DEFAULT 1,
    author_id     TEXT,
    author_name   TEXT,
    parent_id     TEXT,
    posted_at     TEXT,
    status        TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Worker bookkeeping: a lease so several workers never score the same comment at once,
    -- and failed attempts with the time of the next try.
    lease_owner   TEXT,
    lease_until   TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error    TEXT
);
CREATE INDEX ix_comments_inbox ON comments (seq) WHERE status = 'received';
CREATE INDEX ix_comments_article ON comments (article_id, seq);

CREATE TABLE scores (
    comment_id       TEXT PRIMARY KEY REFERENCES comments(comment_id),
    text_version     INTEGER NOT NULL,
    profanity        REAL NOT NULL,
    relevance        REAL NOT NULL,
    off_topic_length REAL NOT NULL,
    reasons          TEXT NOT NULL,   -- JSON array of reasons with evidence
    word_count       INTEGER NOT NULL,
    embedding        BLOB,
    scored_at        TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE queue (
    comment_id   TEXT PRIMARY KEY REFERENCES comments(comment_id),
    article_id   TEXT NOT NULL,
    state        TEXT NOT NULL,       -- pending | decided
    priority     REAL NOT NULL,
    reason_codes TEXT NOT NULL,       -- ',profanity,off_topic,' for filtering
    reasons      TEXT NOT NULL,       -- JSON array, as shown to moderators
    flagged_at   TEXT NOT NULL,
    decided_at   TEXT,
    decided_by   TEXT,
    action       TEXT,
    decision_reason TEXT,
    note         TEXT
) WITHOUT ROWID;
CREATE INDEX ix_queue_priority ON queue (state, priority DESC, comment_id);
CREATE INDEX ix_queue_flagged ON queue (state, flagged_at, comment_id);
CREATE INDEX ix_queue_article ON queue (article_id, state);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id   TEXT NOT NULL REFERENCES comments(comment_id),
    reporter_key TEXT NOT NULL,       -- reporterId, or 'ip:' + a salted hash of the client address
    reason       TEXT NOT NULL,
    details      TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (comment_id, reporter_key)
);

CREATE TABLE audit (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,      -- key id, 'worker', 'reader', 'ingest'
    action        TEXT NOT NULL,
    comment_id    TEXT,
    status_before TEXT,
    status_after  TEXT,
    detail        TEXT                -- JSON
);
CREATE INDEX ix_audit_comment ON audit (comment_id, id);

CREATE TABLE api_keys (
    key_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Per-installation values, e.g. the secret that salts hashed client addresses of reporters.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
