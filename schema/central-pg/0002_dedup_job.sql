-- 0002_dedup_job.sql: the cross-office duplicate check leaves the push
-- (as schema/central/0006_dedup_job.sql): people to be indexed by the
-- registry's job, which workers claim with FOR UPDATE SKIP LOCKED.
ALTER TABLE person ADD COLUMN indexed integer NOT NULL DEFAULT 1
  CHECK (indexed IN (0, 1));
CREATE INDEX person_pending ON person(member_id) WHERE indexed = 0;
