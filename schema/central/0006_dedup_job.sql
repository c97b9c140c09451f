-- 0006_dedup_job.sql: the cross-office duplicate check leaves the push.
--
-- A push stores each person it receives and marks it to be indexed; the
-- registry's job (sws central dedup, and every worker about once a
-- second) indexes the marked people, looks for each one's best
-- candidates at other offices and tells both offices of a pair found
-- (docs/sync-protocol.md, "Cross-office duplicates"). People indexed
-- before this migration are indexed already.
ALTER TABLE person ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1
  CHECK (indexed IN (0, 1));
CREATE INDEX person_pending ON person(member_id) WHERE indexed = 0;
