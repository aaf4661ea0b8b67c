-- PostgreSQL mirror of ../010_retention.sql (conventions: 001_initial.sql in this folder).
-- Retention (docs/OPERATIONS.md, "Retention"). A decided comment whose text was kept past Moderation:Retention:DecidedTexts
-- has its text emptied by the purge (Storage/Retention/RetentionRepository.cs); this column says why it is empty, so the
-- API and the console show "removed by retention" instead of a blank. Scores, decisions and audit entries stay.
ALTER TABLE comments ADD COLUMN text_removed TEXT;   -- NULL, or 'retention'

-- The purge walks decided queue entries by decision time.
CREATE INDEX ix_queue_decided_at ON queue (decided_at) WHERE state = 'decided';
-- and reports by age (details, address hashes).
CREATE INDEX ix_reports_created ON reports (created_at);
