-- PostgreSQL mirror of ../014_report_counts_by_writer.sql (why, and who writes the counts now: there).
DROP TRIGGER tr_report_generation_report_insert ON reports;
DROP FUNCTION tr_report_generation_report_insert();
DROP TRIGGER tr_queue_listing_report_insert ON reports;
DROP FUNCTION tr_queue_listing_report_insert();
