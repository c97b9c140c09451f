-- 0014_ui_lang_mn.sql: the web UI speaks Mongolian too; each officer may
-- choose English, Khmer or Mongolian. SQLite cannot change a CHECK, so
-- the table of choices is built again with the rows it had.
CREATE TABLE ui_pref_v18 (
  login TEXT PRIMARY KEY REFERENCES users(login),
  lang TEXT NOT NULL CHECK (lang IN ('en', 'km', 'mn'))
) STRICT, WITHOUT ROWID;
INSERT INTO ui_pref_v18(login, lang) SELECT login, lang FROM ui_pref;
DROP TABLE ui_pref;
ALTER TABLE ui_pref_v18 RENAME TO ui_pref;
CREATE TRIGGER ui_pref_guard_i BEFORE INSERT ON ui_pref
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_pref_guard_u BEFORE UPDATE ON ui_pref
  BEGIN SELECT sws_op(); END;
