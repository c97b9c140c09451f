-- 0001_central.sql: the central registry (SQLite store).
--
-- Enrolled offices and their keys, the per-device push watermark, the
-- records offices have pushed (all entities, as JSON field sets), the
-- person index for cross-office duplicate detection, duplicates and
-- merges, field conflicts, and the per-office feeds that offices pull.
-- The wire protocol never sees rowids or timestamps from here: feed
-- positions travel inside signed opaque cursors (docs/sync-protocol.md).

CREATE TABLE registry (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  cursor_key BLOB NOT NULL CHECK (length(cursor_key) = 32),
  epoch INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
) STRICT;

-- One row per enrolled office device (an outreach laptop is its own).
CREATE TABLE office (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  key_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
                                                          'revoked')),
  ack_seq INTEGER NOT NULL DEFAULT 0,  -- every mutation up to here is done
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT,
  last_push_at TEXT,
  last_pull_at TEXT,
  clock_skew_s INTEGER                 -- office clock minus ours, last seen
) STRICT;

-- Recently seen request nonces (replay protection within the window).
CREATE TABLE nonce (
  office TEXT NOT NULL,
  nonce TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (office, nonce)
) STRICT, WITHOUT ROWID;
CREATE INDEX nonce_ts ON nonce(ts);

-- The verdict on every mutation (office, seq): replays answer from here.
CREATE TABLE mutation (
  office TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('applied', 'duplicate', 'merged',
                                           'conflict', 'rejected')),
  detail TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  PRIMARY KEY (office, seq)
) STRICT, WITHOUT ROWID;

-- Every record of every synced entity, as its current field values.
CREATE TABLE record (
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  office TEXT NOT NULL,          -- the office that owns it
  fields TEXT NOT NULL CHECK (json_valid(fields)),
  version INTEGER NOT NULL,      -- bumped on every change
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;

-- People, for duplicate detection across offices (same rule as the
-- counter: cases/match.h), with their blocking keys.
CREATE TABLE person (
  member_id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL,
  office TEXT NOT NULL,
  name TEXT NOT NULL,
  sex TEXT NOT NULL,
  born TEXT NOT NULL,
  national_id TEXT,
  area TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX person_household ON person(household_id);
CREATE INDEX person_nid ON person(national_id) WHERE national_id IS NOT NULL;
CREATE TABLE person_key (
  key TEXT NOT NULL,
  sex TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  member_id TEXT NOT NULL,
  PRIMARY KEY (key, sex, birth_year, member_id)
) STRICT, WITHOUT ROWID;

-- Possible duplicates found across offices, for review.
CREATE TABLE duplicate (
  id INTEGER PRIMARY KEY,
  household_a TEXT NOT NULL,
  household_b TEXT NOT NULL,
  score REAL NOT NULL,
  reasons TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'merged', 'dismissed')),
  found_at TEXT NOT NULL,
  decided_at TEXT,
  decided_by TEXT,
  UNIQUE (household_a, household_b)
) STRICT;

-- Merges: the merged-away household is an alias of the survivor.
CREATE TABLE alias (
  merged_id TEXT PRIMARY KEY,
  survivor_id TEXT NOT NULL,
  merged_at TEXT NOT NULL,
  merged_by TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
CREATE INDEX alias_survivor ON alias(survivor_id);

-- A field two sides changed: the server value is kept, the office's is
-- recorded here for review (shown at both sides).
CREATE TABLE conflict (
  id INTEGER PRIMARY KEY,
  office TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  office_value TEXT,
  server_value TEXT,
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved'))
) STRICT;

-- Per-office feeds, filled when a change is written (fan-out on write).
CREATE TABLE feed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  office TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  at TEXT NOT NULL
) STRICT;
CREATE INDEX feed_office ON feed(office, seq);

-- What was done centrally, and by whom.
CREATE TABLE central_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
