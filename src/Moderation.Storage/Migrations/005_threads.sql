-- The worker's thread context (InboxRepository.GetThreadsAsync): the most recent *scored* comments under an
-- article. With ix_comments_article alone SQLite walked back through every comment still waiting to be
-- scored (a backlog of 500 per article meant 500 rows skipped per article per batch) before finding them.
CREATE INDEX ix_comments_article_scored ON comments (article_id, seq) WHERE status <> 'received';
