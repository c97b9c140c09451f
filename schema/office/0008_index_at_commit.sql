-- 0008_index_at_commit.sql: names go into the two name indexes once per
-- operation, at its end, not once per member (docs/decisions.md, "Name
-- indexes filled at the end of an operation").
--
-- A statement with triggers runs inside a statement savepoint, and FTS5
-- writes what it holds in memory to disk as a new segment at every
-- savepoint. So the triggers of 0001 and 0007, which put each new member
-- into member_fts and member_word, wrote two index segments per member:
-- a household of five was ten segments, each merged again later, and an
-- import spent most of its storage time there (docs/benchmarks.md).
--
-- Now a member's row id waits in member_unindexed, and the end of every
-- operation (cases_op_end, cases/ctx.c) indexes the waiting names with one
-- statement per index and empties the table, in the same transaction: at
-- every commit the indexes hold every name, as before. The blocking keys
-- of the duplicate check stay immediate: a household is checked against
-- the households written before it in the same operation (an import).
CREATE TABLE member_unindexed (
  rid INTEGER PRIMARY KEY
) STRICT;

DROP TRIGGER member_index_ai;
DROP TRIGGER member_index_au;
DROP TRIGGER member_word_ai;
DROP TRIGGER member_word_au;

CREATE TRIGGER member_index_ai AFTER INSERT ON member BEGIN
  INSERT INTO member_unindexed(rid) VALUES (new.rid);
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid)
    SELECT value, new.sex, new.birth_year, new.rid
    FROM json_each(new.name_keys);
END;

CREATE TRIGGER member_key_au AFTER UPDATE OF name, sex, born ON member
BEGIN
  DELETE FROM member_key
    WHERE key IN (SELECT value FROM json_each(old.name_keys))
      AND sex = old.sex AND birth_year = old.birth_year
      AND member_rid = old.rid;
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid)
    SELECT value, new.sex, new.birth_year, new.rid
    FROM json_each(new.name_keys);
END;

-- A renamed member leaves both indexes (with the name they hold) and
-- waits to be indexed again under the new name. One still waiting is in
-- neither index yet: nothing to take out.
CREATE TRIGGER member_names_au AFTER UPDATE OF name ON member
  WHEN NOT EXISTS (SELECT 1 FROM member_unindexed WHERE rid = old.rid)
BEGIN
  INSERT INTO member_fts(member_fts, rowid, name_fold)
    VALUES ('delete', old.rid, old.name_fold);
  INSERT INTO member_word(member_word, rowid, name_fold)
    VALUES ('delete', old.rid, old.name_fold);
  INSERT INTO member_unindexed(rid) VALUES (old.rid);
END;
