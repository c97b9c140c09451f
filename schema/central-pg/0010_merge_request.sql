-- 0010_merge_request.sql (as schema/central/0015_merge_request.sql):
-- merges offices asked for, each request kept with its answer so that it
-- is answered from here when it arrives again.
CREATE TABLE merge_request (
  office text NOT NULL,
  request_id text NOT NULL,
  survivor text NOT NULL,
  merged text NOT NULL,
  status integer NOT NULL,
  answer text NOT NULL,
  at text NOT NULL,
  PRIMARY KEY (office, request_id)
);
