-- 0009_dedup_keys.sql: each blocking key row carries the person's name and
-- national ID, so the duplicate check reads its candidates from one range
-- of member_key (docs/decisions.md, "Names in the key table").
--
-- A new person shares a key (a one-letter Khmer word with the first letter
-- of the other word, born within 2 years) with hundreds of people at a
-- million members, and the check compares each name before anything else.
-- With the name elsewhere, each of those hundreds was one more B-tree
-- search (in member_dedup, 0007), most of the duplicate check's time and
-- the largest part of an import's (docs/benchmarks.md). The copies cost
-- about 45 bytes per key row, 5 rows per person; member_dedup goes.
DROP TRIGGER member_index_ai;
DROP TRIGGER member_key_au;
DROP INDEX member_dedup;
DROP TABLE member_key;

CREATE TABLE member_key (
  key TEXT NOT NULL,
  sex TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  member_rid INTEGER NOT NULL,
  name TEXT NOT NULL,   -- copies of the member's, kept by the triggers
  national_id TEXT,
  PRIMARY KEY (key, sex, birth_year, member_rid)
) STRICT, WITHOUT ROWID;

-- sorted first: appending in key order is much faster than inserting
-- millions of rows at random places
INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid, name,
                                 national_id)
  SELECT k.value, m.sex, m.birth_year, m.rid, m.name, m.national_id
  FROM member m, json_each(m.name_keys) k
  ORDER BY 1, 2, 3, 4;

CREATE TRIGGER member_index_ai AFTER INSERT ON member BEGIN
  INSERT INTO member_unindexed(rid) VALUES (new.rid);
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid, name,
                                   national_id)
    SELECT value, new.sex, new.birth_year, new.rid, new.name,
           new.national_id
    FROM json_each(new.name_keys);
END;

CREATE TRIGGER member_key_au
  AFTER UPDATE OF name, sex, born, national_id ON member
BEGIN
  DELETE FROM member_key
    WHERE key IN (SELECT value FROM json_each(old.name_keys))
      AND sex = old.sex AND birth_year = old.birth_year
      AND member_rid = old.rid;
  INSERT OR IGNORE INTO member_key(key, sex, birth_year, member_rid, name,
                                   national_id)
    SELECT value, new.sex, new.birth_year, new.rid, new.name,
           new.national_id
    FROM json_each(new.name_keys);
END;
