-- The verdict's rule written as comparisons instead of an IN list: SQLite
-- builds a temporary table for an IN list of more than two values each
-- time the statement runs, and a push stores one verdict row per mutation
-- (measured: a quarter of the time of storing a verdict went to it). The
-- same rule and the same rows; the table is rebuilt because SQLite cannot
-- change a CHECK in place.
CREATE TABLE mutation_v7 (
  office TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict = 'applied' OR verdict = 'duplicate'
                               OR verdict = 'merged' OR verdict = 'conflict'
                               OR verdict = 'rejected'),
  detail TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  hash TEXT,
  PRIMARY KEY (office, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO mutation_v7(office, seq, entity, entity_id, op, verdict, detail,
                        at, hash)
  SELECT office, seq, entity, entity_id, op, verdict, detail, at, hash
  FROM mutation;
DROP TABLE mutation;
ALTER TABLE mutation_v7 RENAME TO mutation;
