-- 0015_duplicate_review.sql: a supervisor decides each possible duplicate.
--
-- A pair (duplicate_flag) is decided "different" (two families, with a
-- reason; never raised again for that pair) or "same" (one family: the
-- household registered later is proposed for merging into the earlier one,
-- and the request waits in duplicate_merge until a sync sends it to the
-- registry, which alone merges). docs/dedup.md, "Deciding a pair".
ALTER TABLE duplicate_flag ADD COLUMN decided_at TEXT;
ALTER TABLE duplicate_flag ADD COLUMN decided_by TEXT;
ALTER TABLE duplicate_flag ADD COLUMN decision_reason TEXT NOT NULL
  DEFAULT '' CHECK (length(decision_reason) <= 1000);
-- which members resemble each other (member N of each household), so the
-- queue shows the people, not only the households (NULL for pairs raised
-- before: the heads are shown)
ALTER TABLE duplicate_flag ADD COLUMN member_line INTEGER;
ALTER TABLE duplicate_flag ADD COLUMN other_member_line INTEGER;

-- Until now the counter stored its pairs as "different" (the officer's
-- word when registering anyway); a supervisor decides them now, so they
-- are open until one does. The guard is lifted for this one update.
DROP TRIGGER duplicate_flag_guard_u;
UPDATE duplicate_flag SET status = 'open' WHERE status = 'different';
CREATE TRIGGER duplicate_flag_guard_u BEFORE UPDATE ON duplicate_flag
  BEGIN SELECT sws_op(); END;
CREATE INDEX duplicate_flag_other ON duplicate_flag(other_household_id);

-- A pair decided "same": the merge asked of the registry. state: waiting
-- (to be sent with the next sync; sent again after a cut session, the
-- registry answering a pair it already merged as merged), accepted (the
-- registry merged; the merge comes back in the feed), merged (it came:
-- the merged copy stepped aside), refused (answer says why; the pair is
-- open again).
CREATE TABLE duplicate_merge (
  flag_id INTEGER PRIMARY KEY REFERENCES duplicate_flag(id),
  request_id TEXT NOT NULL UNIQUE CHECK (length(request_id) = 36),
  survivor_id TEXT NOT NULL REFERENCES household(id),
  merged_id TEXT NOT NULL REFERENCES household(id),
  state TEXT NOT NULL DEFAULT 'waiting'
    CHECK (state IN ('waiting', 'accepted', 'merged', 'refused')),
  answer TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 500),
  attempts INTEGER NOT NULL DEFAULT 0,
  asked_at TEXT NOT NULL,
  answered_at TEXT,
  CHECK (survivor_id != merged_id)
) STRICT;
CREATE INDEX duplicate_merge_waiting ON duplicate_merge(state)
  WHERE state IN ('waiting', 'accepted');
CREATE TRIGGER duplicate_merge_guard_i BEFORE INSERT ON duplicate_merge
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER duplicate_merge_guard_u BEFORE UPDATE ON duplicate_merge
  BEGIN SELECT sws_op(); END;
