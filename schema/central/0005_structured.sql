-- 0005_structured.sql: the registry's records in tables of their own.
--
-- Until now every record an office pushed was one row of `record`, its
-- fields a JSON text. Now each synced entity has its table, with a typed
-- column per field (the columns and rules of sync/fields.c, which the
-- tests compare with this schema), so that the registry can index,
-- report and check what it holds, and the same structure serves SQLite
-- and PostgreSQL (schema/central-pg/). Registry columns start with r_:
--   id            the record's UUID (as offices made it)
--   r_owner       the device that created it (sws central office list)
--   r_version     bumped on every change
--   r_created_at, r_updated_at  when the registry stored and last changed it
-- Columns the office fills with a default may be NULL here (a field an
-- office did not send); required ones are NOT NULL.
--
-- The old rows are copied; `record` stays as `record_legacy`, so a row
-- that does not fit (stored before the registry checked values) is kept,
-- not lost, and can be looked at by hand.

ALTER TABLE record RENAME TO record_legacy;
DROP INDEX IF EXISTS record_household_regno;

CREATE TABLE household (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  regno TEXT NOT NULL,
  area_code TEXT NOT NULL,
  address TEXT,
  phone TEXT,
  status TEXT,
  status_reason TEXT,
  import_key TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX household_regno ON household(regno);
CREATE INDEX household_owner ON household(r_owner);
CREATE TABLE member (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  household_id TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL,
  born TEXT NOT NULL,
  relationship TEXT NOT NULL,
  national_id TEXT,
  phone TEXT,
  disability INTEGER,
  status TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX member_household_id ON member(household_id);
CREATE INDEX member_owner ON member(r_owner);
CREATE TABLE case_file (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  household_id TEXT NOT NULL,
  status TEXT,
  manager TEXT,
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at TEXT,
  outcome TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX case_file_household_id ON case_file(household_id);
CREATE INDEX case_file_owner ON case_file(r_owner);
CREATE TABLE case_assignment (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  case_id TEXT NOT NULL,
  manager TEXT NOT NULL,
  how TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX case_assignment_case_id ON case_assignment(case_id);
CREATE INDEX case_assignment_owner ON case_assignment(r_owner);
CREATE TABLE case_note (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  case_id TEXT NOT NULL,
  text TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX case_note_case_id ON case_note(case_id);
CREATE INDEX case_note_owner ON case_note(r_owner);
CREATE TABLE assessment (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  number INTEGER NOT NULL,
  case_id TEXT NOT NULL,
  household_id TEXT NOT NULL,
  instrument_code TEXT NOT NULL,
  instrument_version INTEGER NOT NULL,
  answers TEXT NOT NULL,
  score REAL NOT NULL,
  band TEXT NOT NULL,
  flags TEXT NOT NULL,
  explanation TEXT NOT NULL,
  assessed_at TEXT NOT NULL,
  assessed_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX assessment_case_id ON assessment(case_id);
CREATE INDEX assessment_household_id ON assessment(household_id);
CREATE INDEX assessment_owner ON assessment(r_owner);
CREATE TABLE plan_goal (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  case_id TEXT NOT NULL,
  no INTEGER NOT NULL,
  text TEXT NOT NULL,
  status TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX plan_goal_case_id ON plan_goal(case_id);
CREATE INDEX plan_goal_owner ON plan_goal(r_owner);
CREATE TABLE plan_action (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  case_id TEXT NOT NULL,
  no INTEGER NOT NULL,
  goal_no INTEGER,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  owner TEXT NOT NULL,
  due TEXT NOT NULL,
  status TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  done_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX plan_action_case_id ON plan_action(case_id);
CREATE INDEX plan_action_owner ON plan_action(r_owner);
CREATE TABLE enrolment (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  number INTEGER NOT NULL,
  household_id TEXT NOT NULL,
  member_id TEXT,
  programme_code TEXT NOT NULL,
  status TEXT,
  reason TEXT,
  applied_at TEXT NOT NULL,
  applied_by TEXT NOT NULL,
  decided_at TEXT,
  decided_by TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX enrolment_household_id ON enrolment(household_id);
CREATE INDEX enrolment_member_id ON enrolment(member_id);
CREATE INDEX enrolment_owner ON enrolment(r_owner);
CREATE TABLE referral (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  number TEXT NOT NULL,
  household_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  service TEXT NOT NULL,
  provider TEXT NOT NULL,
  reason TEXT NOT NULL,
  urgent INTEGER,
  status TEXT,
  flagged INTEGER,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX referral_household_id ON referral(household_id);
CREATE INDEX referral_member_id ON referral(member_id);
CREATE INDEX referral_number ON referral(number);
CREATE INDEX referral_owner ON referral(r_owner);
CREATE TABLE referral_event (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  referral_id TEXT NOT NULL,
  event TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  feedback TEXT,
  valid INTEGER,
  note TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX referral_event_referral_id ON referral_event(referral_id);
CREATE INDEX referral_event_owner ON referral_event(r_owner);
CREATE TABLE grievance (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  ticket TEXT NOT NULL,
  household_id TEXT,
  anonymous INTEGER,
  followup_hash TEXT,
  category TEXT NOT NULL,
  channel TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT,
  layer TEXT NOT NULL,
  due TEXT,
  answer TEXT,
  answer_layer TEXT,
  flagged INTEGER,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX grievance_household_id ON grievance(household_id);
CREATE INDEX grievance_ticket ON grievance(ticket);
CREATE INDEX grievance_owner ON grievance(r_owner);
CREATE TABLE grievance_event (
  id TEXT PRIMARY KEY,
  r_owner TEXT NOT NULL,
  r_version INTEGER NOT NULL DEFAULT 1,
  r_created_at TEXT NOT NULL,
  r_updated_at TEXT NOT NULL,
  grievance_id TEXT NOT NULL,
  event TEXT NOT NULL,
  layer TEXT NOT NULL,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  text TEXT,
  valid INTEGER,
  note TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX grievance_event_grievance_id ON grievance_event(grievance_id);
CREATE INDEX grievance_event_owner ON grievance_event(r_owner);

-- the records pushed so far
INSERT OR IGNORE INTO household(id, r_owner, r_version, r_created_at,
  r_updated_at, regno, area_code, address, phone, status, status_reason, import_key, created_at, created_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.regno',
  fields ->> '$.area_code',
  fields ->> '$.address',
  fields ->> '$.phone',
  fields ->> '$.status',
  fields ->> '$.status_reason',
  fields ->> '$.import_key',
  fields ->> '$.created_at',
  fields ->> '$.created_by'
FROM record_legacy
WHERE entity = 'household'
  AND coalesce(typeof(fields ->> '$.regno'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.area_code'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.address'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.phone'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status_reason'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.import_key'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO member(id, r_owner, r_version, r_created_at,
  r_updated_at, household_id, line_no, name, sex, born, relationship, national_id, phone, disability, status, created_at)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.household_id',
  fields ->> '$.line_no',
  fields ->> '$.name',
  fields ->> '$.sex',
  fields ->> '$.born',
  fields ->> '$.relationship',
  fields ->> '$.national_id',
  fields ->> '$.phone',
  fields ->> '$.disability',
  fields ->> '$.status',
  fields ->> '$.created_at'
FROM record_legacy
WHERE entity = 'member'
  AND coalesce(typeof(fields ->> '$.line_no'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.disability'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.name'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.sex'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.born'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.relationship'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.national_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.phone'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO case_file(id, r_owner, r_version, r_created_at,
  r_updated_at, household_id, status, manager, opened_at, opened_by, closed_at, outcome)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.household_id',
  fields ->> '$.status',
  fields ->> '$.manager',
  fields ->> '$.opened_at',
  fields ->> '$.opened_by',
  fields ->> '$.closed_at',
  fields ->> '$.outcome'
FROM record_legacy
WHERE entity = 'case_file'
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.manager'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.opened_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.opened_by'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.closed_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.outcome'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO case_assignment(id, r_owner, r_version, r_created_at,
  r_updated_at, case_id, manager, how, at, by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.case_id',
  fields ->> '$.manager',
  fields ->> '$.how',
  fields ->> '$.at',
  fields ->> '$.by'
FROM record_legacy
WHERE entity = 'case_assignment'
  AND coalesce(typeof(fields ->> '$.case_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.manager'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.how'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO case_note(id, r_owner, r_version, r_created_at,
  r_updated_at, case_id, text, at, by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.case_id',
  fields ->> '$.text',
  fields ->> '$.at',
  fields ->> '$.by'
FROM record_legacy
WHERE entity = 'case_note'
  AND coalesce(typeof(fields ->> '$.case_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.text'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO assessment(id, r_owner, r_version, r_created_at,
  r_updated_at, number, case_id, household_id, instrument_code, instrument_version, answers, score, band, flags, explanation, assessed_at, assessed_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.number',
  fields ->> '$.case_id',
  fields ->> '$.household_id',
  fields ->> '$.instrument_code',
  fields ->> '$.instrument_version',
  fields ->> '$.answers',
  fields ->> '$.score',
  fields ->> '$.band',
  fields ->> '$.flags',
  fields ->> '$.explanation',
  fields ->> '$.assessed_at',
  fields ->> '$.assessed_by'
FROM record_legacy
WHERE entity = 'assessment'
  AND coalesce(typeof(fields ->> '$.number'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.instrument_version'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.score'), 'null') IN ('integer', 'real', 'null')
  AND coalesce(typeof(fields ->> '$.case_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.instrument_code'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.answers'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.band'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.flags'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.explanation'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.assessed_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.assessed_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO plan_goal(id, r_owner, r_version, r_created_at,
  r_updated_at, case_id, no, text, status, created_at, created_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.case_id',
  fields ->> '$.no',
  fields ->> '$.text',
  fields ->> '$.status',
  fields ->> '$.created_at',
  fields ->> '$.created_by'
FROM record_legacy
WHERE entity = 'plan_goal'
  AND coalesce(typeof(fields ->> '$.no'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.case_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.text'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO plan_action(id, r_owner, r_version, r_created_at,
  r_updated_at, case_id, no, goal_no, kind, text, owner, due, status, created_at, created_by, done_at)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.case_id',
  fields ->> '$.no',
  fields ->> '$.goal_no',
  fields ->> '$.kind',
  fields ->> '$.text',
  fields ->> '$.owner',
  fields ->> '$.due',
  fields ->> '$.status',
  fields ->> '$.created_at',
  fields ->> '$.created_by',
  fields ->> '$.done_at'
FROM record_legacy
WHERE entity = 'plan_action'
  AND coalesce(typeof(fields ->> '$.no'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.goal_no'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.case_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.kind'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.text'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.owner'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.due'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_by'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.done_at'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO enrolment(id, r_owner, r_version, r_created_at,
  r_updated_at, number, household_id, member_id, programme_code, status, reason, applied_at, applied_by, decided_at, decided_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.number',
  fields ->> '$.household_id',
  fields ->> '$.member_id',
  fields ->> '$.programme_code',
  fields ->> '$.status',
  fields ->> '$.reason',
  fields ->> '$.applied_at',
  fields ->> '$.applied_by',
  fields ->> '$.decided_at',
  fields ->> '$.decided_by'
FROM record_legacy
WHERE entity = 'enrolment'
  AND coalesce(typeof(fields ->> '$.number'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.member_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.programme_code'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.reason'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.applied_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.applied_by'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.decided_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.decided_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO referral(id, r_owner, r_version, r_created_at,
  r_updated_at, number, household_id, member_id, service, provider, reason, urgent, status, flagged, created_at, created_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.number',
  fields ->> '$.household_id',
  fields ->> '$.member_id',
  fields ->> '$.service',
  fields ->> '$.provider',
  fields ->> '$.reason',
  fields ->> '$.urgent',
  fields ->> '$.status',
  fields ->> '$.flagged',
  fields ->> '$.created_at',
  fields ->> '$.created_by'
FROM record_legacy
WHERE entity = 'referral'
  AND coalesce(typeof(fields ->> '$.urgent'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.flagged'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.number'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.member_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.service'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.provider'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.reason'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO referral_event(id, r_owner, r_version, r_created_at,
  r_updated_at, referral_id, event, at, by, feedback, valid, note)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.referral_id',
  fields ->> '$.event',
  fields ->> '$.at',
  fields ->> '$.by',
  fields ->> '$.feedback',
  fields ->> '$.valid',
  fields ->> '$.note'
FROM record_legacy
WHERE entity = 'referral_event'
  AND coalesce(typeof(fields ->> '$.valid'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.referral_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.event'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.by'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.feedback'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.note'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO grievance(id, r_owner, r_version, r_created_at,
  r_updated_at, ticket, household_id, anonymous, followup_hash, category, channel, text, status, layer, due, answer, answer_layer, flagged, created_at, created_by)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.ticket',
  fields ->> '$.household_id',
  fields ->> '$.anonymous',
  fields ->> '$.followup_hash',
  fields ->> '$.category',
  fields ->> '$.channel',
  fields ->> '$.text',
  fields ->> '$.status',
  fields ->> '$.layer',
  fields ->> '$.due',
  fields ->> '$.answer',
  fields ->> '$.answer_layer',
  fields ->> '$.flagged',
  fields ->> '$.created_at',
  fields ->> '$.created_by'
FROM record_legacy
WHERE entity = 'grievance'
  AND coalesce(typeof(fields ->> '$.anonymous'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.flagged'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.ticket'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.household_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.followup_hash'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.category'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.channel'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.text'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.status'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.layer'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.due'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.answer'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.answer_layer'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.created_by'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO grievance_event(id, r_owner, r_version, r_created_at,
  r_updated_at, grievance_id, event, layer, at, by, text, valid, note)
SELECT id, office, version, created_at, updated_at,
  fields ->> '$.grievance_id',
  fields ->> '$.event',
  fields ->> '$.layer',
  fields ->> '$.at',
  fields ->> '$.by',
  fields ->> '$.text',
  fields ->> '$.valid',
  fields ->> '$.note'
FROM record_legacy
WHERE entity = 'grievance_event'
  AND coalesce(typeof(fields ->> '$.valid'), 'null') IN ('integer', 'null')
  AND coalesce(typeof(fields ->> '$.grievance_id'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.event'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.layer'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.at'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.by'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.text'), 'null') IN ('text', 'null')
  AND coalesce(typeof(fields ->> '$.note'), 'null') IN ('text', 'null');