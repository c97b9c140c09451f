-- 0016_cli_token.sql: the command line's logins (sws login).
--
-- `sws login LOGIN` checks the account's password once and hands out a
-- short-lived token; later commands given the token act as that account.
-- As with web sessions, only the SHA-256 of the token is kept, so a copy
-- of this database lets nobody act as anyone. A token works until it
-- expires, its account is deactivated, or `sws logout` ends it. Issuing
-- and ending tokens are operations (audited); tokens are ended, never
-- deleted.

CREATE TABLE cli_token (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64
                                         AND token_hash NOT GLOB '*[^0-9a-f]*'),
  login TEXT NOT NULL REFERENCES users(login),
  -- the Unix login that asked for it ("cli:NAME")
  asked_by TEXT NOT NULL CHECK (length(asked_by) BETWEEN 1 AND 64),
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL CHECK (expires_ms > created_ms),
  ended_ms INTEGER
) STRICT;
CREATE INDEX cli_token_login ON cli_token(login) WHERE ended_ms IS NULL;

CREATE TRIGGER cli_token_guard_i BEFORE INSERT ON cli_token
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER cli_token_guard_u BEFORE UPDATE ON cli_token
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER cli_token_no_delete BEFORE DELETE ON cli_token BEGIN
  SELECT RAISE(ABORT, 'tokens are ended, never deleted');
END;
