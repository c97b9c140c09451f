-- 0002_cases.sql: case management.
--
-- Cases and case managers, needs assessments (versioned instruments),
-- case plans, the programme catalogue and enrolments, referrals and
-- grievances (both as append-only event logs whose status is a fold), and
-- the reference data they need (areas covered by case managers, grievance
-- categories, layers with deadlines, holidays).
--
-- Every write needs an operation (sws_op(), see 0001); synced tables get
-- the three outbox triggers of cases/capture.h; nothing is deleted.

-- The areas a case manager covers (for automatic assignment).
CREATE TABLE user_area (
  login TEXT NOT NULL REFERENCES users(login),
  area_code TEXT NOT NULL REFERENCES area(code),
  PRIMARY KEY (login, area_code)
) STRICT, WITHOUT ROWID;

CREATE TABLE case_file (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  household_id TEXT NOT NULL REFERENCES household(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  manager TEXT,                     -- login of the case manager, or NULL
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at TEXT,
  outcome TEXT CHECK (outcome IS NULL OR length(outcome) <= 500),
  updated_at TEXT NOT NULL,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;
-- one open case per household, enforced by the database
CREATE UNIQUE INDEX case_one_open ON case_file(household_id)
  WHERE status = 'open';
CREATE INDEX case_manager ON case_file(manager) WHERE status = 'open';

CREATE TABLE case_assignment (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  case_id TEXT NOT NULL REFERENCES case_file(id),
  manager TEXT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('manual', 'auto')),
  at TEXT NOT NULL,
  by TEXT NOT NULL
) STRICT;
CREATE INDEX case_assignment_case ON case_assignment(case_id);

CREATE TABLE case_note (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  case_id TEXT NOT NULL REFERENCES case_file(id),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  at TEXT NOT NULL,
  by TEXT NOT NULL
) STRICT;
CREATE INDEX case_note_case ON case_note(case_id);

-- Assessment instruments: the questionnaire and its scoring rules, as
-- loaded (JSON). A new version never changes an old one.
CREATE TABLE instrument (
  code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
  version INTEGER NOT NULL CHECK (version >= 1),
  title TEXT NOT NULL,
  definition TEXT NOT NULL CHECK (json_valid(definition)),
  sha256 TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  PRIMARY KEY (code, version)
) STRICT;

CREATE TABLE assessment (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  number INTEGER NOT NULL CHECK (number >= 1),  -- office-wide, for people
  case_id TEXT NOT NULL REFERENCES case_file(id),
  household_id TEXT NOT NULL REFERENCES household(id),
  instrument_code TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  answers TEXT NOT NULL CHECK (json_valid(answers)),
  score REAL NOT NULL,
  band TEXT NOT NULL,
  flags TEXT NOT NULL CHECK (json_valid(flags)),       -- vulnerabilities, skills
  explanation TEXT NOT NULL CHECK (json_valid(explanation)),
  assessed_at TEXT NOT NULL,
  assessed_by TEXT NOT NULL,
  FOREIGN KEY (instrument_code, instrument_version)
    REFERENCES instrument(code, version)
) STRICT;
CREATE UNIQUE INDEX assessment_number ON assessment(number);
CREATE INDEX assessment_household ON assessment(household_id);

CREATE TABLE plan_goal (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  case_id TEXT NOT NULL REFERENCES case_file(id),
  no INTEGER NOT NULL CHECK (no >= 1),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'achieved', 'dropped')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (case_id, no)
) STRICT;

CREATE TABLE plan_action (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  case_id TEXT NOT NULL REFERENCES case_file(id),
  no INTEGER NOT NULL CHECK (no >= 1),
  goal_no INTEGER,
  kind TEXT NOT NULL CHECK (kind IN ('psychosocial', 'income-support',
    'skills', 'enterprise', 'job-placement', 'other')),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  owner TEXT NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
  due TEXT NOT NULL CHECK (due GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  status TEXT NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'in-progress', 'done', 'cancelled')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  done_at TEXT,
  updated_at TEXT NOT NULL,
  UNIQUE (case_id, no)
) STRICT;
CREATE INDEX plan_action_due ON plan_action(due)
  WHERE status IN ('planned', 'in-progress');

-- The programme catalogue (several agencies), each tagged with one of the
-- four guarantees of ILO Recommendation 202, with eligibility rules (JSON).
CREATE TABLE programme (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
  name TEXT NOT NULL,
  agency TEXT NOT NULL,
  guarantee TEXT NOT NULL CHECK (guarantee IN ('health', 'children',
    'working-age', 'older-persons')),
  level TEXT NOT NULL CHECK (level IN ('household', 'member')),
  definition TEXT NOT NULL CHECK (json_valid(definition)),
  catalogue_version INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  loaded_at TEXT NOT NULL
) STRICT;

CREATE TABLE enrolment (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  number INTEGER NOT NULL CHECK (number >= 1),
  household_id TEXT NOT NULL REFERENCES household(id),
  member_id TEXT REFERENCES member(id),   -- NULL: household programme
  programme_code TEXT NOT NULL REFERENCES programme(code),
  status TEXT NOT NULL DEFAULT 'applied'
    CHECK (status IN ('applied', 'approved', 'rejected')),
  reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  applied_at TEXT NOT NULL,
  applied_by TEXT NOT NULL,
  decided_at TEXT,
  decided_by TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX enrolment_number ON enrolment(number);
CREATE INDEX enrolment_household ON enrolment(household_id);
-- one live application per person (or household) and programme
CREATE UNIQUE INDEX enrolment_one_live ON enrolment(
  household_id, coalesce(member_id, ''), programme_code)
  WHERE status IN ('applied', 'approved');

-- Referrals: the status is a fold over referral_event (cases/referral.c).
CREATE TABLE referral (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  number TEXT NOT NULL UNIQUE,
  household_id TEXT NOT NULL REFERENCES household(id),
  member_id TEXT NOT NULL REFERENCES member(id),
  service TEXT NOT NULL CHECK (service IN ('health', 'education',
    'employment', 'psychosocial', 'other')),
  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 200),
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent',
    'accepted', 'declined', 'completed', 'cancelled')),
  flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX referral_household ON referral(household_id);

CREATE TABLE referral_event (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  referral_id TEXT NOT NULL REFERENCES referral(id),
  event TEXT NOT NULL CHECK (event IN ('sent', 'accepted', 'declined',
    'completed', 'cancelled')),
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  feedback TEXT NOT NULL DEFAULT '' CHECK (length(feedback) <= 2000),
  valid INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1)),
  note TEXT NOT NULL DEFAULT ''   -- why an event was not valid
) STRICT;
CREATE INDEX referral_event_referral ON referral_event(referral_id, at);

-- Grievances and appeals.
CREATE TABLE grievance_category (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40
                               AND code NOT GLOB '*[^a-z0-9-]*'),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- The layers a grievance climbs, in order, with their deadline in
-- business days; and the days that are not business days.
CREATE TABLE grievance_layer (
  layer TEXT PRIMARY KEY CHECK (layer IN ('village', 'commune', 'district',
                                          'province', 'national')),
  position INTEGER NOT NULL UNIQUE CHECK (position >= 1),
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365)
) STRICT;
CREATE TABLE holiday (
  date TEXT PRIMARY KEY CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  name TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE TABLE setting (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE grievance (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  ticket TEXT NOT NULL UNIQUE,
  household_id TEXT REFERENCES household(id),
  anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  followup_hash TEXT,   -- SHA-256 of the anonymous follow-up code
  category TEXT NOT NULL REFERENCES grievance_category(code),
  channel TEXT NOT NULL CHECK (channel IN ('walk-in', 'phone', 'letter',
                                           'hotline')),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  status TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received',
    'acknowledged', 'under-review', 'escalated', 'answered', 'closed')),
  layer TEXT NOT NULL REFERENCES grievance_layer(layer),
  due TEXT,              -- the current layer's deadline (a date), or NULL
  answer TEXT NOT NULL DEFAULT '',
  answer_layer TEXT,
  flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (anonymous = 0 OR household_id IS NULL),
  CHECK ((anonymous = 1) = (followup_hash IS NOT NULL))
) STRICT;
CREATE INDEX grievance_due ON grievance(due)
  WHERE status NOT IN ('answered', 'closed');
CREATE INDEX grievance_household ON grievance(household_id);
CREATE UNIQUE INDEX grievance_followup ON grievance(followup_hash)
  WHERE followup_hash IS NOT NULL;

CREATE TABLE grievance_event (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  grievance_id TEXT NOT NULL REFERENCES grievance(id),
  event TEXT NOT NULL CHECK (event IN ('received', 'acknowledged', 'review',
    'escalated', 'answered', 'closed', 'appealed')),
  layer TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '' CHECK (length(text) <= 4000),
  valid INTEGER NOT NULL DEFAULT 1 CHECK (valid IN (0, 1)),
  note TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX grievance_event_grievance ON grievance_event(grievance_id, at);

-- Writes need an operation.
CREATE TRIGGER user_area_guard_i BEFORE INSERT ON user_area
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER instrument_guard_i BEFORE INSERT ON instrument
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER programme_guard_i BEFORE INSERT ON programme
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER programme_guard_u BEFORE UPDATE ON programme
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER grievance_category_guard_i BEFORE INSERT ON grievance_category
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER grievance_category_guard_u BEFORE UPDATE ON grievance_category
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER grievance_layer_guard_i BEFORE INSERT ON grievance_layer
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER grievance_layer_guard_u BEFORE UPDATE ON grievance_layer
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER holiday_guard_i BEFORE INSERT ON holiday
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER setting_guard_i BEFORE INSERT ON setting
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER setting_guard_u BEFORE UPDATE ON setting
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER instrument_no_update BEFORE UPDATE ON instrument BEGIN
  SELECT RAISE(ABORT, 'a loaded instrument version never changes');
END;

-- @synced case_file
-- @synced case_assignment
-- @synced case_note
-- @synced assessment
-- @synced plan_goal
-- @synced plan_action
-- @synced enrolment
-- @synced referral
-- @synced referral_event
-- @synced grievance
-- @synced grievance_event
