-- PostgreSQL mirror of ../004_performance.sql (conventions: 001_initial.sql in this folder).
-- Performance (docs/PERFORMANCE.md).

-- A counter bumped by every change of the document frequencies or of the article count, so the
-- worker can keep term statistics in memory across batches and reload them only when they change.
-- SQLite's triggers are all FOR EACH ROW: one bump per row inserted, updated or deleted, as here. Each trigger has its
-- own function, named after it (an AFTER row trigger's result is ignored: they return NULL).
CREATE TABLE term_df_generation (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO term_df_generation (id, generation) VALUES (1, 0);
CREATE FUNCTION tr_term_df_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE term_df_generation SET generation = generation + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_term_df_insert AFTER INSERT ON term_df FOR EACH ROW EXECUTE FUNCTION tr_term_df_insert();
CREATE FUNCTION tr_term_df_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE term_df_generation SET generation = generation + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_term_df_update AFTER UPDATE ON term_df FOR EACH ROW EXECUTE FUNCTION tr_term_df_update();
CREATE FUNCTION tr_term_df_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE term_df_generation SET generation = generation + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_term_df_delete AFTER DELETE ON term_df FOR EACH ROW EXECUTE FUNCTION tr_term_df_delete();
CREATE FUNCTION tr_articles_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE term_df_generation SET generation = generation + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_articles_insert AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION tr_articles_insert();
CREATE FUNCTION tr_articles_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE term_df_generation SET generation = generation + 1; RETURN NULL; END $$;
CREATE TRIGGER tr_articles_delete AFTER DELETE ON articles FOR EACH ROW EXECUTE FUNCTION tr_articles_delete();

-- Queue listing filtered by article (GET /api/queue?articleId=…): the same orders as the state indexes,
-- behind the article, so a page is an index range instead of a walk over every pending entry.
DROP INDEX ix_queue_article;
CREATE INDEX ix_queue_article_priority ON queue (article_id, state, priority DESC, flagged_at, comment_id);
CREATE INDEX ix_queue_article_flagged ON queue (article_id, state, flagged_at, comment_id);

-- Queue listing filtered by reason: one partial index pair per reason code (the code list is fixed by the
-- contract; QueueRepository inlines a validated code as the literal predicate below so SQLite can match it).
-- A rare reason (scoring_failed, premoderation) no longer walks every pending entry to fill a page.
-- instr is the SQL function of 001_initial.sql: a query's `instr(reason_codes, ',profanity,') > 0` uses these indexes
-- (EXPLAIN in scripts/postgres-schema-check.sh). As on SQLite the code must be a literal: a bound parameter matches
-- only in a custom plan (the value known when planning), never in a generic one.
CREATE INDEX ix_queue_r_profanity_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',profanity,') > 0;
CREATE INDEX ix_queue_r_profanity_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',profanity,') > 0;
CREATE INDEX ix_queue_r_off_topic_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',off_topic,') > 0;
CREATE INDEX ix_queue_r_off_topic_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',off_topic,') > 0;
CREATE INDEX ix_queue_r_off_topic_length_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',off_topic_length,') > 0;
CREATE INDEX ix_queue_r_off_topic_length_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',off_topic_length,') > 0;
CREATE INDEX ix_queue_r_reader_reports_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',reader_reports,') > 0;
CREATE INDEX ix_queue_r_reader_reports_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',reader_reports,') > 0;
CREATE INDEX ix_queue_r_scoring_failed_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',scoring_failed,') > 0;
CREATE INDEX ix_queue_r_scoring_failed_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',scoring_failed,') > 0;
CREATE INDEX ix_queue_r_banned_term_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',banned_term,') > 0;
CREATE INDEX ix_queue_r_banned_term_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',banned_term,') > 0;
CREATE INDEX ix_queue_r_suspect_term_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',suspect_term,') > 0;
CREATE INDEX ix_queue_r_suspect_term_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',suspect_term,') > 0;
CREATE INDEX ix_queue_r_premoderation_priority ON queue (state, priority DESC, flagged_at, comment_id) WHERE instr(reason_codes, ',premoderation,') > 0;
CREATE INDEX ix_queue_r_premoderation_flagged ON queue (state, flagged_at, comment_id) WHERE instr(reason_codes, ',premoderation,') > 0;
