-- 0003_conflict_resolution.sql: how a field conflict was decided.
--
-- 'sws central conflict resolve' closes a conflict one way or the other:
-- the registry's value stays (keep_registry) or the office's value is
-- written (use_office). Who decided, when and why are kept with it, and
-- the office that raised it learns the decision from its feed.
ALTER TABLE conflict ADD COLUMN resolution TEXT
  CHECK (resolution IN ('keep_registry', 'use_office'));
ALTER TABLE conflict ADD COLUMN resolved_at TEXT;
ALTER TABLE conflict ADD COLUMN resolved_by TEXT;
ALTER TABLE conflict ADD COLUMN note TEXT;
-- the review queue is the open ones, oldest first
CREATE INDEX conflict_status ON conflict(status, id);
