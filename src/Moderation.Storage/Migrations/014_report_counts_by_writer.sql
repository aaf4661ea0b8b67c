-- A report's insert no longer fires row triggers (007's counter bump, 008's queue report_count + 1): the report writer
-- (Storage/Reports/ReportWriter.cs), the one place reports are inserted, writes both itself:
--   * report_generation moves by the number of reports a group inserted, in one UPDATE before the group commits
--     (the counter still says "one per report inserted"; TallyCache only compares values);
--   * a report on a comment with a queue entry adds one to the entry's report_count in the statement that writes the
--     entry anyway (the flag's ON CONFLICT path), or in its own UPDATE when the report does not act on the comment; a
--     new queue entry still counts the comment's reports through 008's insert trigger.
-- Why: on PostgreSQL the two triggers took 0.061 of the insert's 0.11 ms of server time (pg_stat_statements,
-- track_functions, a 20 s report run), on the one serial path of the report endpoint, and 256 updates of the counter's
-- one row in one group left 256 row versions for every later read of it in the group to step over.
-- Every other change to reports (update, delete, a comment's id or decided status) still moves both through 007/008.
-- Whoever inserts reports by other means bumps both by hand, as tools/Moderation.LoadTest's queue seed does.
DROP TRIGGER tr_report_generation_report_insert;
DROP TRIGGER tr_queue_listing_report_insert;
