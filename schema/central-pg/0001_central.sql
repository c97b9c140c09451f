-- 0001_central.sql: the central registry on PostgreSQL (the national
-- store; docs/operations.md). The same structure as the SQLite store
-- (schema/central/, up to 0005_structured.sql), in PostgreSQL's types:
-- the tests compare both with the fields of sync/fields.c.
--
-- Several 'sws central serve' processes work on one database at once
-- (docs/decisions.md, "The registry on PostgreSQL"): a push locks its
-- device's row (SELECT ... FOR UPDATE) and the records it changes; feed
-- rows carry the transaction that wrote them, and are read only below the
-- oldest transaction still running, so a cursor never passes a row that
-- commits later.

CREATE TABLE registry (
  id integer PRIMARY KEY CHECK (id = 1),
  name text NOT NULL,
  cursor_key bytea NOT NULL CHECK (length(cursor_key) = 32),
  epoch bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per enrolled device; office_code the office it belongs to.
CREATE TABLE office (
  code text PRIMARY KEY,
  office_code text,
  name text NOT NULL,
  public_key bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
  key_id text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active',
                                                          'revoked')),
  ack_seq bigint NOT NULL DEFAULT 0,
  enrolled_at text NOT NULL,
  revoked_at text,
  last_push_at text,
  last_pull_at text,
  clock_skew_s bigint,
  diverged_seq bigint,
  diverged_at text
);
CREATE INDEX office_office_code ON office((coalesce(office_code, code)));

CREATE TABLE nonce (
  office text NOT NULL,
  nonce text NOT NULL,
  ts bigint NOT NULL,
  PRIMARY KEY (office, nonce)
);
CREATE INDEX nonce_ts ON nonce(ts);

CREATE TABLE mutation (
  office text NOT NULL,
  seq bigint NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  op text NOT NULL,
  verdict text NOT NULL CHECK (verdict IN ('applied', 'duplicate', 'merged',
                                           'conflict', 'rejected')),
  detail text NOT NULL DEFAULT '',
  at text NOT NULL,
  hash text,
  PRIMARY KEY (office, seq)
);

CREATE TABLE holding (
  office text NOT NULL,
  entity text NOT NULL,
  id uuid NOT NULL,
  since text NOT NULL,
  PRIMARY KEY (office, entity, id)
);

CREATE TABLE person (
  member_id uuid PRIMARY KEY,
  household_id uuid NOT NULL,
  office text NOT NULL,
  name text NOT NULL,
  sex text NOT NULL,
  born text NOT NULL,
  national_id text,
  area text NOT NULL DEFAULT ''
);
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_nid ON person(national_id) WHERE national_id IS NOT NULL;
CREATE TABLE person_key (
  key text NOT NULL,
  sex text NOT NULL,
  birth_year integer NOT NULL,
  member_id uuid NOT NULL,
  PRIMARY KEY (key, sex, birth_year, member_id)
);
CREATE INDEX person_key_member ON person_key(member_id);

CREATE TABLE duplicate (
  id bigserial PRIMARY KEY,
  household_a uuid NOT NULL,
  household_b uuid NOT NULL,
  score double precision NOT NULL,
  reasons text NOT NULL,
  status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'merged', 'dismissed')),
  found_at text NOT NULL,
  decided_at text,
  decided_by text,
  UNIQUE (household_a, household_b)
);
CREATE INDEX duplicate_open ON duplicate(score DESC, id) WHERE status = 'open';

CREATE TABLE alias (
  merged_id uuid PRIMARY KEY,
  survivor_id uuid NOT NULL,
  merged_at text NOT NULL,
  merged_by text NOT NULL,
  active integer NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX alias_survivor ON alias(survivor_id);

CREATE TABLE conflict (
  id bigserial PRIMARY KEY,
  office text NOT NULL,
  seq bigint NOT NULL,
  entity text NOT NULL,
  entity_id text NOT NULL,
  field text NOT NULL,
  office_value text,
  server_value text,
  at text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution text CHECK (resolution IN ('keep_registry', 'use_office')),
  resolved_at text,
  resolved_by text,
  note text
);
CREATE INDEX conflict_status ON conflict(status, id);

-- Per-device feeds. xid is the writing transaction; readers take rows
-- with xid below the oldest transaction still running (all final), in
-- (xid, seq) order, so a row that commits late is never behind a cursor.
CREATE TABLE feed (
  seq bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  office text NOT NULL,
  kind text NOT NULL,
  payload text NOT NULL,
  at text NOT NULL
);
CREATE INDEX feed_office ON feed(office, xid, seq);

CREATE TABLE central_log (
  id bigserial PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  detail text NOT NULL
);

-- The records offices push, one table per synced entity (sync/fields.c).
CREATE TABLE household (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  regno text NOT NULL,
  area_code text NOT NULL,
  address text,
  phone text,
  status text,
  status_reason text,
  import_key text,
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX household_regno ON household(regno);
CREATE INDEX household_owner ON household(r_owner);
CREATE TABLE member (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  household_id uuid NOT NULL,
  line_no bigint NOT NULL,
  name text NOT NULL,
  sex text NOT NULL,
  born text NOT NULL,
  relationship text NOT NULL,
  national_id text,
  phone text,
  disability bigint,
  status text,
  created_at text NOT NULL
);
CREATE INDEX member_household_id ON member(household_id);
CREATE INDEX member_owner ON member(r_owner);
CREATE TABLE case_file (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  household_id uuid NOT NULL,
  status text,
  manager text,
  opened_at text NOT NULL,
  opened_by text NOT NULL,
  closed_at text,
  outcome text
);
CREATE INDEX case_file_household_id ON case_file(household_id);
CREATE INDEX case_file_owner ON case_file(r_owner);
CREATE TABLE case_assignment (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  case_id uuid NOT NULL,
  manager text NOT NULL,
  how text NOT NULL,
  at text NOT NULL,
  by text NOT NULL
);
CREATE INDEX case_assignment_case_id ON case_assignment(case_id);
CREATE INDEX case_assignment_owner ON case_assignment(r_owner);
CREATE TABLE case_note (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  case_id uuid NOT NULL,
  text text NOT NULL,
  at text NOT NULL,
  by text NOT NULL
);
CREATE INDEX case_note_case_id ON case_note(case_id);
CREATE INDEX case_note_owner ON case_note(r_owner);
CREATE TABLE assessment (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  number bigint NOT NULL,
  case_id uuid NOT NULL,
  household_id uuid NOT NULL,
  instrument_code text NOT NULL,
  instrument_version bigint NOT NULL,
  answers text NOT NULL,
  score double precision NOT NULL,
  band text NOT NULL,
  flags text NOT NULL,
  explanation text NOT NULL,
  assessed_at text NOT NULL,
  assessed_by text NOT NULL
);
CREATE INDEX assessment_case_id ON assessment(case_id);
CREATE INDEX assessment_household_id ON assessment(household_id);
CREATE INDEX assessment_owner ON assessment(r_owner);
CREATE TABLE plan_goal (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  case_id uuid NOT NULL,
  no bigint NOT NULL,
  text text NOT NULL,
  status text,
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX plan_goal_case_id ON plan_goal(case_id);
CREATE INDEX plan_goal_owner ON plan_goal(r_owner);
CREATE TABLE plan_action (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  case_id uuid NOT NULL,
  no bigint NOT NULL,
  goal_no bigint,
  kind text NOT NULL,
  text text NOT NULL,
  owner text NOT NULL,
  due text NOT NULL,
  status text,
  created_at text NOT NULL,
  created_by text NOT NULL,
  done_at text
);
CREATE INDEX plan_action_case_id ON plan_action(case_id);
CREATE INDEX plan_action_owner ON plan_action(r_owner);
CREATE TABLE enrolment (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  number bigint NOT NULL,
  household_id uuid NOT NULL,
  member_id uuid,
  programme_code text NOT NULL,
  status text,
  reason text,
  applied_at text NOT NULL,
  applied_by text NOT NULL,
  decided_at text,
  decided_by text
);
CREATE INDEX enrolment_household_id ON enrolment(household_id);
CREATE INDEX enrolment_member_id ON enrolment(member_id);
CREATE INDEX enrolment_owner ON enrolment(r_owner);
CREATE TABLE referral (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  number text NOT NULL,
  household_id uuid NOT NULL,
  member_id uuid NOT NULL,
  service text NOT NULL,
  provider text NOT NULL,
  reason text NOT NULL,
  urgent bigint,
  status text,
  flagged bigint,
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX referral_household_id ON referral(household_id);
CREATE INDEX referral_member_id ON referral(member_id);
CREATE INDEX referral_number ON referral(number);
CREATE INDEX referral_owner ON referral(r_owner);
CREATE TABLE referral_event (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  referral_id uuid NOT NULL,
  event text NOT NULL,
  at text NOT NULL,
  by text NOT NULL,
  feedback text,
  valid bigint,
  note text
);
CREATE INDEX referral_event_referral_id ON referral_event(referral_id);
CREATE INDEX referral_event_owner ON referral_event(r_owner);
CREATE TABLE grievance (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  ticket text NOT NULL,
  household_id uuid,
  anonymous bigint,
  followup_hash text,
  category text NOT NULL,
  channel text NOT NULL,
  text text NOT NULL,
  status text,
  layer text NOT NULL,
  due text,
  answer text,
  answer_layer text,
  flagged bigint,
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX grievance_household_id ON grievance(household_id);
CREATE INDEX grievance_ticket ON grievance(ticket);
CREATE INDEX grievance_owner ON grievance(r_owner);
CREATE TABLE grievance_event (
  id uuid PRIMARY KEY,
  r_owner text NOT NULL,
  r_version bigint NOT NULL DEFAULT 1,
  r_created_at timestamptz NOT NULL,
  r_updated_at timestamptz NOT NULL,
  grievance_id uuid NOT NULL,
  event text NOT NULL,
  layer text NOT NULL,
  at text NOT NULL,
  by text NOT NULL,
  text text,
  valid bigint,
  note text
);
CREATE INDEX grievance_event_grievance_id ON grievance_event(grievance_id);
CREATE INDEX grievance_event_owner ON grievance_event(r_owner);
