-- PostgreSQL mirror of ../009_decided_texts.sql (conventions: 001_initial.sql in this folder).
-- Edits after a moderator's decision (docs/POLICY.md, "Edits"). When the site re-sends an approved or rejected comment
-- with changed text, the text the moderator decided on is kept here (CommentRepository.IngestAsync), so that:
--   * the worker knows the edit follows a decision and which one (InboxRepository.ClaimAsync reads `decision`), and the
--     Core policy keeps a rejected comment hidden and queues an approved one whose new text would be flagged;
--   * GET /api/comments/{id} and the moderator console show the decided text beside the new one.
-- One row per comment: the latest decided text. Only the edit of a decided comment writes it; an edit of a comment still
-- waiting for review again keeps the row, so the moderator compares with what they actually decided. A new decision
-- does not touch it: a comment whose status is approved or rejected has its current text decided, and the row is
-- shown only while it is not (Core CommentStatus.IsDecided); the next edit of that comment replaces the row.
CREATE TABLE decided_texts (
    comment_id   TEXT PRIMARY KEY REFERENCES comments(comment_id) ON DELETE CASCADE,
    text_version BIGINT NOT NULL,
    text         TEXT NOT NULL,
    decision     TEXT NOT NULL,       -- approved | rejected
    saved_at     TEXT NOT NULL
);

-- The queue filter by reason (GET /api/queue?reason=edited_after_decision), as for every reason code in migration 004.
CREATE INDEX ix_queue_r_edited_after_decision_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',edited_after_decision,') > 0;
CREATE INDEX ix_queue_r_edited_after_decision_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',edited_after_decision,') > 0;
