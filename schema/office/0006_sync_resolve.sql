-- 0006_sync_resolve.sql: closing sync conflicts (docs/sync-protocol.md).
--
-- A conflict is closed at the office ('sws sync resolve', the review page)
-- or by the central registry's decision arriving in the feed (the
-- conflict_resolved item). How, by whom, where and why are kept with it.
-- seq is the office's change (outbox seq) the registry kept back, which
-- the registry's decision names; rows from before this migration have
-- none and are found by record, field and value instead.
ALTER TABLE sync_conflict ADD COLUMN seq INTEGER;
ALTER TABLE sync_conflict ADD COLUMN resolution TEXT
  CHECK (resolution IN ('keep_registry', 'use_office'));
ALTER TABLE sync_conflict ADD COLUMN resolved_at TEXT;
ALTER TABLE sync_conflict ADD COLUMN resolved_by TEXT;
ALTER TABLE sync_conflict ADD COLUMN resolved_where TEXT
  CHECK (resolved_where IN ('office', 'central'));
ALTER TABLE sync_conflict ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- closing one is an operation (audited), like every other change here
CREATE TRIGGER sync_conflict_guard_u BEFORE UPDATE ON sync_conflict
  BEGIN SELECT sws_op(); END;
