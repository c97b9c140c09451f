-- 0012_audit_head.sql: the last audit chain head each office device sent,
-- signed with its key, and whether one it sent later did not extend it
-- (docs/sync-protocol.md, "The audit chain head"). One row per device; a
-- device that never sent one (an older sws) has none.
CREATE TABLE audit_head (
  device TEXT PRIMARY KEY,
  head_id INTEGER NOT NULL CHECK (head_id >= 0),
  head_hash TEXT NOT NULL,
  head_n INTEGER NOT NULL CHECK (head_n >= 0),
  sig TEXT NOT NULL,            -- base64url Ed25519 over the head
  received_at TEXT NOT NULL,
  diverged_at TEXT,             -- a head that did not extend this one came
  diverged_why TEXT             -- what was wrong with it
) STRICT, WITHOUT ROWID;
