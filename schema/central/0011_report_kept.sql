-- Reports of closed periods counted once and kept (sws central report
-- --keep, the nightly job): a report asked for again with the same
-- options is read, not counted (cases/report_codec.h). key: the period,
-- layer, age groups, suppression and indicator set it was counted with.
CREATE TABLE report_kept (
  key TEXT PRIMARY KEY,
  period TEXT NOT NULL,
  layer TEXT NOT NULL,
  built_at TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;
