-- 0012_screening.sql: kept screening outcomes, for the coverage gap.
--
-- The monthly report's coverage gap (eligible_not_enrolled) screens every
-- assessed household against the catalogue: tens of microseconds each, most
-- of the report's time at a million people. The idle upkeep
-- (cases/screening.c) keeps each household's outcome here so the report
-- reads it with a join. Derived data, never synced, never audited: a
-- missing or stale row costs only speed, since the report screens any
-- household without a valid row on the fly.
--
-- A row is valid while screened_on <= today < valid_until: valid_until is
-- the first day on which an active member's age (all screening reads from
-- the clock) differs from what it was on screened_on. Every other input
-- deletes the rows when it changes, by the triggers below: the household
-- row, its members and its assessments (the household's own rows), and
-- the areas, the programme catalogue and the questionnaires (all rows).
-- Sync applies pulled changes with ordinary writes, so the triggers run
-- there too.
CREATE TABLE screening (
  household_id TEXT PRIMARY KEY,
  screened_on TEXT NOT NULL   -- YYYY-MM-DD, the sws clock's day
    CHECK (date(screened_on) IS screened_on),
  valid_until TEXT NOT NULL   -- YYYY-MM-DD; = screened_on: could not be
                              -- screened that day (tried again the next)
    -- at most the age horizon (FACTS_AGE_HORIZON), even if edited by hand
    CHECK (valid_until BETWEEN screened_on
                           AND date(screened_on, '+366 days')),
  -- what the report asks of the household, as it was (any change to it
  -- deletes the row): its village, its first assessment's time
  area_code TEXT NOT NULL,
  assessed_from TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX screening_until ON screening(valid_until);

-- Who screening found eligible (outcome "eligible" only): the household
-- (line 0) for a household programme, member line_no N for a member
-- programme; the programme's agency and guarantee as the catalogue said;
-- the sex, birth and disability of that member, or of the head for a
-- household programme (NULL: no such active member).
CREATE TABLE screening_eligible (
  household_id TEXT NOT NULL,
  programme_code TEXT NOT NULL,
  line INTEGER NOT NULL CHECK (line >= 0),
  agency TEXT NOT NULL,
  guarantee TEXT NOT NULL,
  sex TEXT,
  born TEXT,
  disability INTEGER,
  PRIMARY KEY (household_id, programme_code, line)
) STRICT, WITHOUT ROWID;

-- A household's own inputs: its row, its members, its assessments.
CREATE TRIGGER screening_household_i AFTER INSERT ON household BEGIN
  DELETE FROM screening WHERE household_id = new.id;
  DELETE FROM screening_eligible WHERE household_id = new.id;
END;
CREATE TRIGGER screening_household_u AFTER UPDATE ON household BEGIN
  DELETE FROM screening WHERE household_id IN (old.id, new.id);
  DELETE FROM screening_eligible WHERE household_id IN (old.id, new.id);
END;
CREATE TRIGGER screening_member_i AFTER INSERT ON member BEGIN
  DELETE FROM screening WHERE household_id = new.household_id;
  DELETE FROM screening_eligible WHERE household_id = new.household_id;
END;
CREATE TRIGGER screening_member_u AFTER UPDATE ON member BEGIN
  DELETE FROM screening
    WHERE household_id IN (old.household_id, new.household_id);
  DELETE FROM screening_eligible
    WHERE household_id IN (old.household_id, new.household_id);
END;
CREATE TRIGGER screening_member_d AFTER DELETE ON member BEGIN
  DELETE FROM screening WHERE household_id = old.household_id;
  DELETE FROM screening_eligible WHERE household_id = old.household_id;
END;
CREATE TRIGGER screening_assessment_i AFTER INSERT ON assessment BEGIN
  DELETE FROM screening WHERE household_id = new.household_id;
  DELETE FROM screening_eligible WHERE household_id = new.household_id;
END;
CREATE TRIGGER screening_assessment_u AFTER UPDATE ON assessment BEGIN
  DELETE FROM screening
    WHERE household_id IN (old.household_id, new.household_id);
  DELETE FROM screening_eligible
    WHERE household_id IN (old.household_id, new.household_id);
END;
CREATE TRIGGER screening_assessment_d AFTER DELETE ON assessment BEGIN
  DELETE FROM screening WHERE household_id = old.household_id;
  DELETE FROM screening_eligible WHERE household_id = old.household_id;
END;

-- What every household's screening reads: the areas (household.areas),
-- the catalogue and the questionnaires (which questions are a member's).
CREATE TRIGGER screening_area_i AFTER INSERT ON area BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_area_u AFTER UPDATE ON area BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_area_d AFTER DELETE ON area BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_programme_i AFTER INSERT ON programme BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_programme_u AFTER UPDATE ON programme BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_programme_d AFTER DELETE ON programme BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_instrument_i AFTER INSERT ON instrument BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_instrument_u AFTER UPDATE ON instrument BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
CREATE TRIGGER screening_instrument_d AFTER DELETE ON instrument BEGIN
  DELETE FROM screening;
  DELETE FROM screening_eligible;
END;
