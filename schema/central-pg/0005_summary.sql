-- 0005_summary.sql (as schema/central/0010_summary.sql): the offices'
-- signed indicator summaries, the latest for each office and period.
CREATE TABLE summary (
  office text NOT NULL,
  period text NOT NULL,
  body text NOT NULL,
  received_at text NOT NULL,
  PRIMARY KEY (office, period)
);
