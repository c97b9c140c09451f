-- 0002_person_key_member.sql: an index to find a person's blocking keys.
--
-- Re-indexing a member (every member an office pushes) first deletes its
-- old keys by member_id, which is the last column of person_key's primary
-- key: without this index each push scanned every key of every person, so
-- a push got slower with every member the registry held (bench_sws sync:
-- 123 households/s at 2,000 households, falling further with more).
CREATE INDEX person_key_member ON person_key(member_id);
