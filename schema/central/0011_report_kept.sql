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

-- The days on which each office (its devices together) pushed, so that
-- offices_not_synced of a past period is what it was then, not what the
-- last push says now. Kept by a trigger on the office's last push; before
-- this migration only the last push of each office is known. (Not INSERT OR
-- IGNORE: the office's upsert would override it.)
CREATE TABLE push_day (
  office TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (office, day)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO push_day(office, day)
  SELECT coalesce(office_code, code), substr(last_push_at, 1, 10)
  FROM office WHERE last_push_at IS NOT NULL;
CREATE TRIGGER office_push_day_insert AFTER INSERT ON office
  WHEN new.last_push_at IS NOT NULL
BEGIN
  INSERT INTO push_day(office, day)
    SELECT coalesce(new.office_code, new.code), substr(new.last_push_at, 1, 10)
    WHERE NOT EXISTS (SELECT 1 FROM push_day WHERE office =
      coalesce(new.office_code, new.code) AND day = substr(new.last_push_at, 1, 10));
END;
CREATE TRIGGER office_push_day_update AFTER UPDATE OF last_push_at ON office
  WHEN new.last_push_at IS NOT NULL
BEGIN
  INSERT INTO push_day(office, day)
    SELECT coalesce(new.office_code, new.code), substr(new.last_push_at, 1, 10)
    WHERE NOT EXISTS (SELECT 1 FROM push_day WHERE office =
      coalesce(new.office_code, new.code) AND day = substr(new.last_push_at, 1, 10));
END;

-- Why a pair of possible duplicates was decided as it was (different
-- families: sws central duplicates dismiss A B --reason TEXT).
ALTER TABLE duplicate ADD COLUMN note TEXT;
