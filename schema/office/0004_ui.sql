-- 0004_ui.sql: the front-desk web UI (sws ui): sessions, login throttling
-- and each officer's language.
--
-- A session is known only by the SHA-256 of its token (the browser holds
-- the token in an HttpOnly cookie), so a copy of this database does not
-- let anyone log in. Times used for timeouts are milliseconds of the sws
-- clock (SWS_NOW moves it in tests).
--
-- Writes need an operation, as everywhere: logging in, logging out and
-- ending a session are audited. One column is the exception: seen_ms, the
-- time of the session's last request, which the idle timeout reads. It
-- changes on every page an officer opens; an audit row for each would
-- drown the log in page views, so the guard trigger leaves that column
-- (and only that column) out.

CREATE TABLE ui_session (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64
                                         AND token_hash NOT GLOB '*[^0-9a-f]*'),
  login TEXT NOT NULL REFERENCES users(login),
  client TEXT NOT NULL DEFAULT '' CHECK (length(client) <= 64),
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  seen_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  end_reason TEXT NOT NULL DEFAULT ''
    CHECK (end_reason IN ('', 'logout', 'idle', 'expired', 'revoked')),
  CHECK ((ended_ms IS NULL) = (end_reason = ''))
) STRICT;
CREATE INDEX ui_session_login ON ui_session(login) WHERE ended_ms IS NULL;

-- Failed logins, per login name ('login:desk') and per client address
-- ('addr:127.0.0.1'): after a few failures the next attempt must wait,
-- doubling each time up to a cap, so guessing is slow but nobody can lock
-- an officer out for long.
CREATE TABLE ui_throttle (
  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 6 AND 80),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  last_ms INTEGER NOT NULL,
  blocked_until_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The language each officer chose for the pages.
CREATE TABLE ui_pref (
  login TEXT PRIMARY KEY REFERENCES users(login),
  lang TEXT NOT NULL CHECK (lang IN ('en', 'km'))
) STRICT, WITHOUT ROWID;

CREATE TRIGGER ui_session_guard_i BEFORE INSERT ON ui_session
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_session_guard_u
  BEFORE UPDATE OF id, token_hash, login, client, created_at, created_ms,
                   ended_ms, end_reason ON ui_session
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_session_no_delete BEFORE DELETE ON ui_session BEGIN
  SELECT RAISE(ABORT, 'sessions are ended, never deleted');
END;
CREATE TRIGGER ui_throttle_guard_i BEFORE INSERT ON ui_throttle
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_throttle_guard_u BEFORE UPDATE ON ui_throttle
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_pref_guard_i BEFORE INSERT ON ui_pref
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER ui_pref_guard_u BEFORE UPDATE ON ui_pref
  BEGIN SELECT sws_op(); END;
