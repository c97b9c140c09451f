-- 0001_registry.sql: the office registry.
--
-- Office identity and keys, administrative areas, staff accounts, households
-- and members, the indexes that find people by name, the hash-chained audit
-- log and the sync outbox.
--
-- Writes to domain tables need an operation in progress: the triggers call
-- sws_op(), which the sws binary defines and which fails outside
-- cases_op_begin() ... cases_op_commit(). So every write leaves an audit row,
-- and every change to a synced table leaves field-level outbox rows, in the
-- same transaction. (A plain sqlite3 shell cannot write these tables at all.)
--
-- Functions defined by the binary: sws_op(), sws_actor(), sws_now(),
-- sws_uuid7(), sws_name_fold(name), sws_name_keys(name), and
-- sws_row_snapshot / sws_row_changes for the outbox (cases/capture.h;
-- they capture nothing while changes pulled from the central registry are
-- applied).

CREATE TABLE office (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 16
                            AND code GLOB '[A-Z]*'
                            AND code NOT GLOB '*[^A-Z0-9-]*'),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  device_code TEXT NOT NULL CHECK (length(device_code) BETWEEN 2 AND 16
                            AND device_code GLOB '[A-Z]*'
                            AND device_code NOT GLOB '*[^A-Z0-9-]*'),
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  secret_key BLOB NOT NULL CHECK (length(secret_key) = 64),
  created_at TEXT NOT NULL
) STRICT;

-- Named sequences: registration numbers and the like.
CREATE TABLE counter (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL CHECK (value >= 0)
) STRICT, WITHOUT ROWID;

CREATE TABLE area (
  code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32
                               AND code NOT GLOB '*[^A-Za-z0-9._-]*'),
  level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune',
                                       'village')),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  name_latin TEXT NOT NULL DEFAULT '' CHECK (length(name_latin) <= 200),
  parent_code TEXT REFERENCES area(code),
  CHECK ((level = 'province') = (parent_code IS NULL))
) STRICT;
CREATE INDEX area_parent ON area(parent_code);
CREATE INDEX area_level ON area(level, code);

CREATE TABLE users (
  login TEXT PRIMARY KEY CHECK (length(login) BETWEEN 2 AND 32
                                AND login GLOB '[a-z]*'
                                AND login NOT GLOB '*[^a-z0-9._-]*'),
  role TEXT NOT NULL CHECK (role IN ('front-desk', 'case-manager',
                                     'supervisor', 'admin')),
  name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE household (
  rid INTEGER PRIMARY KEY,          -- local row number (search index key)
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),   -- UUIDv7, everywhere
  regno TEXT NOT NULL UNIQUE CHECK (length(regno) BETWEEN 6 AND 48),
  area_code TEXT NOT NULL REFERENCES area(code),
  address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 500),
  phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 32),
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'inactive')),
  status_reason TEXT NOT NULL DEFAULT '' CHECK (length(status_reason) <= 500),
  import_key TEXT UNIQUE CHECK (length(import_key) <= 100),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX household_area ON household(area_code);
CREATE INDEX household_phone ON household(phone) WHERE phone != '';

CREATE TABLE member (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  household_id TEXT NOT NULL REFERENCES household(id),
  line_no INTEGER NOT NULL CHECK (line_no >= 1),   -- "member N" of the household
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sex TEXT NOT NULL CHECK (sex IN ('F', 'M')),
  born TEXT NOT NULL CHECK (born GLOB '[12][0-9][0-9][0-9]'
                            OR born GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
                            OR born GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  birth_year INTEGER GENERATED ALWAYS AS (CAST(substr(born, 1, 4) AS INTEGER))
    STORED,
  relationship TEXT NOT NULL CHECK (relationship IN ('head', 'spouse', 'child',
    'parent', 'sibling', 'grandchild', 'grandparent', 'other-relative',
    'non-relative')),
  national_id TEXT CHECK (national_id IS NULL
                          OR length(national_id) BETWEEN 1 AND 32),
  phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 32),
  disability INTEGER NOT NULL DEFAULT 0 CHECK (disability IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'left', 'deceased')),
  -- derived, for the name indexes; stored so a reader needs no functions
  name_fold TEXT GENERATED ALWAYS AS (sws_name_fold(name)) STORED,
  name_keys TEXT GENERATED ALWAYS AS (sws_name_keys(name)) STORED,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (household_id, line_no)
) STRICT;
-- one head per household, enforced by the database
CREATE UNIQUE INDEX member_one_head ON member(household_id)
  WHERE relationship = 'head' AND status = 'active';
CREATE INDEX member_national_id ON member(national_id)
  WHERE national_id IS NOT NULL;
CREATE INDEX member_phone ON member(phone) WHERE phone != '';

-- Blocking keys for duplicate detection: a person is compared only with
-- people who share a key, have the same sex and are born within 2 years.
CREATE TABLE member_key (
  key TEXT NOT NULL,
  sex TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  member_rid INTEGER NOT NULL,
  PRIMARY KEY (key, sex, birth_year, member_rid)
) STRICT, WITHOUT ROWID;

-- Substring search on names in any script (and their Latin reading).
CREATE VIRTUAL TABLE member_fts USING fts5(
  name_fold, content = 'member', content_rowid = 'rid', tokenize = 'trigram');

CREATE TRIGGER member_index_ai AFTER INSERT ON member BEGIN
  INSERT INTO member_fts(rowid, name_fold) VALUES (new.rid, new.name_fold);
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid)
    SELECT value, new.sex, new.birth_year, new.rid
    FROM json_each(new.name_keys);
END;
CREATE TRIGGER member_index_au AFTER UPDATE OF name, sex, born ON member
BEGIN
  INSERT INTO member_fts(member_fts, rowid, name_fold)
    VALUES ('delete', old.rid, old.name_fold);
  INSERT INTO member_fts(rowid, name_fold) VALUES (new.rid, new.name_fold);
  DELETE FROM member_key
    WHERE key IN (SELECT value FROM json_each(old.name_keys))
      AND sex = old.sex AND birth_year = old.birth_year
      AND member_rid = old.rid;
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid)
    SELECT value, new.sex, new.birth_year, new.rid
    FROM json_each(new.name_keys);
END;

-- Possible duplicates that were registered anyway (with the officer's
-- reason) or imported: a queue for supervisors to review.
CREATE TABLE duplicate_flag (
  id INTEGER PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES household(id),
  other_household_id TEXT NOT NULL REFERENCES household(id),
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
  reasons TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('counter', 'import')),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'same', 'different')),
  created_at TEXT NOT NULL,
  CHECK (household_id != other_household_id)
) STRICT;
CREATE INDEX duplicate_flag_household ON duplicate_flag(household_id);
CREATE INDEX duplicate_flag_open ON duplicate_flag(status) WHERE status = 'open';

-- One row per import run, for the report and the audit.
CREATE TABLE import_run (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  households INTEGER NOT NULL DEFAULT 0,
  members INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  rejected_rows INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The sync outbox: one row per changed record, field-level, in the order
-- written. seq is this device's mutation sequence (never reused).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  mutation_id TEXT NOT NULL UNIQUE,
  op_id TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update')),
  fields TEXT NOT NULL,             -- JSON object: the new values
  prev TEXT,                        -- JSON object: the values they replace
  operator TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_op ON outbox(op_id);

-- The audit log: one row per domain operation. hash covers prev_hash, the
-- row's own columns and `changes` (the SHA-256 of the operation's outbox
-- rows), so editing or removing any row shows up in 'sws audit verify'.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL DEFAULT '',
  entity_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  op_id TEXT NOT NULL UNIQUE,
  changes TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity_id) WHERE entity_id != '';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Writes need an operation (see the top of this file).
CREATE TRIGGER office_guard_i BEFORE INSERT ON office BEGIN SELECT sws_op(); END;
CREATE TRIGGER office_guard_u BEFORE UPDATE ON office BEGIN SELECT sws_op(); END;
CREATE TRIGGER counter_guard_i BEFORE INSERT ON counter BEGIN SELECT sws_op(); END;
CREATE TRIGGER counter_guard_u BEFORE UPDATE ON counter BEGIN SELECT sws_op(); END;
CREATE TRIGGER area_guard_i BEFORE INSERT ON area BEGIN SELECT sws_op(); END;
CREATE TRIGGER area_guard_u BEFORE UPDATE ON area BEGIN SELECT sws_op(); END;
CREATE TRIGGER users_guard_i BEFORE INSERT ON users BEGIN SELECT sws_op(); END;
CREATE TRIGGER users_guard_u BEFORE UPDATE ON users BEGIN SELECT sws_op(); END;
CREATE TRIGGER duplicate_flag_guard_i BEFORE INSERT ON duplicate_flag
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER duplicate_flag_guard_u BEFORE UPDATE ON duplicate_flag
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER import_run_guard_i BEFORE INSERT ON import_run
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox BEGIN
  SELECT RAISE(ABORT, 'outbox rows are never deleted');
END;

-- Nothing is ever deleted: accounts are deactivated.
CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN
  SELECT RAISE(ABORT, 'accounts are never deleted; deactivate them');
END;

-- Synced tables: guard, snapshot, no-delete and outbox triggers (the
-- template is SYNCED in schema/schema.c).
-- @synced household
-- @synced member
