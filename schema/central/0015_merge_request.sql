-- 0015_merge_request.sql: merges offices asked for (sync/central_merge_ask.h).
--
-- An office's supervisor decides two of its households are one family;
-- the office sends the request with its next sync. Each request is kept
-- with the answer given, so the same request arriving again (a session
-- cut before the answer, or a copy replayed later) is answered from here
-- and never merges a second time, even after the pair was unmerged.
CREATE TABLE merge_request (
  office TEXT NOT NULL,
  request_id TEXT NOT NULL,
  survivor TEXT NOT NULL,
  merged TEXT NOT NULL,
  status INTEGER NOT NULL,          -- the HTTP status answered
  answer TEXT NOT NULL,             -- the body answered (JSON)
  at TEXT NOT NULL,
  PRIMARY KEY (office, request_id)
) STRICT;
