-- 0007_search_indexes.sql: indexes that make the search box and the
-- duplicate check fast at a million people (docs/benchmarks.md).
--
-- Whole words and word beginnings of names, for the search box
-- (docs/decisions.md, "Two name indexes").
--
-- The trigram index (member_fts) finds a name from any part of it, but a
-- word of a Khmer name is many trigrams, each with a long list: at a
-- million people one full name took 5 ms before a row was read. Here each
-- word of the folded name and of its Latin reading is one token (the
-- 'ascii' tokenizer splits at ASCII spaces and punctuation and keeps every
-- other character, so Khmer and Cyrillic words stay whole), with prefix
-- indexes for word beginnings of 1 to 6 characters and no positions
-- (detail=none: a name is looked up by its words, never by a phrase).
-- Search asks this index first and the trigram one only for the middle of
-- a word.
CREATE VIRTUAL TABLE member_word USING fts5(
  name_fold, content = 'member', content_rowid = 'rid', tokenize = 'ascii',
  detail = 'none', prefix = '1 2 3 4 5 6');
INSERT INTO member_word(member_word) VALUES ('rebuild');

CREATE TRIGGER member_word_ai AFTER INSERT ON member BEGIN
  INSERT INTO member_word(rowid, name_fold) VALUES (new.rid, new.name_fold);
END;
CREATE TRIGGER member_word_au AFTER UPDATE OF name ON member BEGIN
  INSERT INTO member_word(member_word, rowid, name_fold)
    VALUES ('delete', old.rid, old.name_fold);
  INSERT INTO member_word(rowid, name_fold) VALUES (new.rid, new.name_fold);
END;

-- The duplicate check reads the name and national ID of hundreds of
-- people sharing a blocking key with each person registered (a one-letter
-- Khmer family name and a birth year within 2 years). From the member
-- rows, each is a page of its own; this narrow copy packs a hundred to a
-- page, so the pages stay in the cache (cases/dedup.c names it).
CREATE INDEX member_dedup ON member(rid, name, national_id);

-- Both name indexes merge their segments when the office is idle (the web
-- UI's upkeep, cases/maintain.c) or after an import, not inside the
-- registration that happens to fill a level (tens of milliseconds at a
-- million people). FTS5 still merges by itself at 16 segments a level.
INSERT INTO member_fts(member_fts, rank) VALUES ('automerge', 0);
INSERT INTO member_word(member_word, rank) VALUES ('automerge', 0);
