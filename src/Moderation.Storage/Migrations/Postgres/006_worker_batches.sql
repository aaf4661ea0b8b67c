-- PostgreSQL mirror of ../006_worker_batches.sql (conventions: 001_initial.sql in this folder).
-- Worker batches (docs/PERFORMANCE.md).

-- The worker's thread context (InboxRepository.GetThreadsAsync): the most recent *scored* comments under an
-- article. With ix_comments_article alone SQLite walked back through every comment still waiting to be
-- scored (a backlog of 500 per article meant 500 rows skipped per article per batch) before finding them.
CREATE INDEX ix_comments_article_scored ON comments (article_id, seq) WHERE status <> 'received';

-- The authors' recent rejection rates for a batch's flagged comments (AuthorRepository.RejectionRatesForCommentsAsync):
-- only decided comments count, so the index holds only those instead of every comment an author wrote.
CREATE INDEX ix_comments_author_decided ON comments (author_id) WHERE status IN ('approved', 'rejected');
