-- PostgreSQL mirror of ../005_report_history.sql (conventions: 001_initial.sql in this folder).
-- Report tallies look up each reporter's other reports (their record: upheld, dismissed). With comment_id in the
-- index the lookup never reads the reports table, and the reporter's report on this very comment is skipped
-- inside the index (docs/PERFORMANCE.md, "Report endpoint alone").
CREATE INDEX ix_reports_reporter_comment ON reports (reporter_key, comment_id);
DROP INDEX ix_reports_reporter;
