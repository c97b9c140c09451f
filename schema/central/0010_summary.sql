-- The offices' signed indicator summaries (sync/summary.h), the latest
-- for each office and period, kept as received (the signature with
-- them), for 'sws central report --check'.
CREATE TABLE summary (
  office TEXT NOT NULL,
  period TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (office, period)
) STRICT;
