-- 0007_audit_head.sql (as schema/central/0012_audit_head.sql): the last
-- audit chain head each office device sent, and whether one it sent later
-- did not extend it.
CREATE TABLE audit_head (
  device text PRIMARY KEY,
  head_id bigint NOT NULL CHECK (head_id >= 0),
  head_hash text NOT NULL,
  head_n bigint NOT NULL CHECK (head_n >= 0),
  sig text NOT NULL,
  received_at text NOT NULL,
  diverged_at text,
  diverged_why text
);
