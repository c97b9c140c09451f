-- 0006_report_kept.sql (as schema/central/0011_report_kept.sql): reports
-- of closed periods counted once and kept; the days each office pushed.
CREATE TABLE report_kept (
  key text PRIMARY KEY,
  period text NOT NULL,
  layer text NOT NULL,
  built_at text NOT NULL,
  body text NOT NULL
);

CREATE TABLE push_day (
  office text NOT NULL,
  day text NOT NULL,
  PRIMARY KEY (office, day)
);
INSERT INTO push_day(office, day)
  SELECT DISTINCT coalesce(office_code, code), substr(last_push_at, 1, 10)
  FROM office WHERE last_push_at IS NOT NULL
  ON CONFLICT DO NOTHING;
CREATE FUNCTION office_push_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_push_at IS NOT NULL THEN
    INSERT INTO push_day(office, day)
      VALUES (coalesce(NEW.office_code, NEW.code), substr(NEW.last_push_at, 1, 10))
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER office_push_day AFTER INSERT OR UPDATE OF last_push_at ON office
  FOR EACH ROW EXECUTE FUNCTION office_push_day();

-- Why a pair of possible duplicates was decided as it was (different
-- families: sws central duplicates dismiss A B --reason TEXT).
ALTER TABLE duplicate ADD COLUMN note text;
