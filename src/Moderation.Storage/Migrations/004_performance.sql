-- Performance (docs/PERFORMANCE.md).

-- A counter bumped by every change of the document frequencies or of the article count, so the
-- worker can keep term statistics in memory across batches and reload them only when they change.
CREATE TABLE term_df_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO term_df_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER tr_term_df_insert AFTER INSERT ON term_df BEGIN UPDATE term_df_generation SET generation = generation + 1; END;
CREATE TRIGGER tr_term_df_update AFTER UPDATE ON term_df BEGIN UPDATE term_df_generation SET generation = generation + 1; END;
CREATE TRIGGER tr_term_df_delete AFTER DELETE ON term_df BEGIN UPDATE term_df_generation SET generation = generation + 1; END;
CREATE TRIGGER tr_articles_insert AFTER INSERT ON articles BEGIN UPDATE term_df_generation SET generation = generation + 1; END;
CREATE TRIGGER tr_articles_delete AFTER DELETE ON articles BEGIN UPDATE term_df_generation SET generation = generation + 1; END;
