-- 0003_sync.sql: the office side of sync with the central registry
-- (docs/sync-protocol.md).
--
-- The outbox (0001) is the queue; these tables hold where sync stands:
-- settings and watermarks, the batch frozen for sending (resent byte for
-- byte until answered), the verdicts that need a person (rejected,
-- conflict, merged), conflicts found while pulling, pulled items that could
-- not be applied yet, the aliases of households merged centrally, and a
-- log of every attempt.

CREATE TABLE sync_state (
  name TEXT PRIMARY KEY,   -- central_url, ca_file, pin, acked, cursor, ...
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_batch (
  batch_id TEXT PRIMARY KEY,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
  body TEXT NOT NULL,        -- exactly the bytes sent (before gzip)
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
) STRICT;

-- Verdicts other than applied/duplicate: rejected mutations are the
-- quarantine (shown by 'sws sync status'; they never block later ones).
CREATE TABLE sync_verdict (
  seq INTEGER PRIMARY KEY,   -- the outbox seq
  verdict TEXT NOT NULL CHECK (verdict IN ('merged', 'conflict',
                                           'rejected')),
  detail TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'seen'))
) STRICT;

CREATE TABLE sync_conflict (
  id INTEGER PRIMARY KEY,
  origin TEXT NOT NULL CHECK (origin IN ('push', 'pull')),
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  local_value TEXT,
  server_value TEXT,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved'))
) STRICT;

CREATE TABLE sync_problem (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done'))
) STRICT;

CREATE TABLE household_alias (
  merged_id TEXT PRIMARY KEY,
  survivor_id TEXT NOT NULL,
  merged_regno TEXT NOT NULL,
  survivor_regno TEXT NOT NULL,
  at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE sync_log (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT NOT NULL DEFAULT 'running',
  pushed INTEGER NOT NULL DEFAULT 0,
  pulled INTEGER NOT NULL DEFAULT 0,
  bytes_up INTEGER NOT NULL DEFAULT 0,
  bytes_down INTEGER NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT ''
) STRICT;

-- The public keys of the offices this office knows (for verifying their
-- receipts offline), as the central registry's feed sends them. The
-- office's own key is in `office`.
CREATE TABLE office_key (
  code TEXT PRIMARY KEY,      -- office/device code
  name TEXT NOT NULL DEFAULT '',
  key_id TEXT NOT NULL,       -- hex of the first 8 bytes of SHA-256(key)
  public_key BLOB NOT NULL CHECK (length(public_key) = 32),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active',
                                                          'revoked')),
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX office_key_id ON office_key(key_id);
CREATE TRIGGER office_key_guard_i BEFORE INSERT ON office_key
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER office_key_guard_u BEFORE UPDATE ON office_key
  BEGIN SELECT sws_op(); END;

CREATE TRIGGER household_alias_guard_i BEFORE INSERT ON household_alias
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER household_alias_guard_u BEFORE UPDATE ON household_alias
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER sync_batch_guard_i BEFORE INSERT ON sync_batch
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER sync_state_guard_i BEFORE INSERT ON sync_state
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER sync_state_guard_u BEFORE UPDATE ON sync_state
  BEGIN SELECT sws_op(); END;
