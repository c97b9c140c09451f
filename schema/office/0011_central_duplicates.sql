-- 0011_central_duplicates.sql: possible duplicates at other offices.
--
-- The registry's duplicate job compares the people offices push with the
-- people of every other office and tells both offices of a pair it finds
-- (a "duplicate" feed item, docs/sync-protocol.md): the household here,
-- the other office's household (it is not in this database: its number
-- and office), the score and the reasons. Shown by 'sws sync status'
-- until the registry merges or dismisses the pair.
CREATE TABLE central_duplicate (
  id INTEGER PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES household(id),
  other_id TEXT NOT NULL CHECK (length(other_id) = 36),
  other_regno TEXT NOT NULL CHECK (length(other_regno) <= 48),
  other_office TEXT NOT NULL CHECK (length(other_office) <= 16),
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
  reasons TEXT NOT NULL CHECK (length(reasons) <= 500),
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'merged', 'dismissed')),
  at TEXT NOT NULL,
  UNIQUE (household_id, other_id)
) STRICT;
CREATE INDEX central_duplicate_open ON central_duplicate(status)
  WHERE status = 'open';
CREATE TRIGGER central_duplicate_guard_i BEFORE INSERT ON central_duplicate
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER central_duplicate_guard_u BEFORE UPDATE ON central_duplicate
  BEGIN SELECT sws_op(); END;
