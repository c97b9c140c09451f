-- 0006_report_kept.sql (as schema/central/0011_report_kept.sql): reports
-- of closed periods counted once and kept.
CREATE TABLE report_kept (
  key text PRIMARY KEY,
  period text NOT NULL,
  layer text NOT NULL,
  built_at text NOT NULL,
  body text NOT NULL
);
