-- The national area hierarchy at the registry (as each office has its
-- own): province > district > commune > village, for the monitoring
-- report compiled layer by layer (sws central report). Loaded with
-- 'sws central area load'; 'sws central init' loads the built-in sample.
CREATE TABLE area (
  code TEXT PRIMARY KEY,
  level TEXT NOT NULL CHECK (level = 'province' OR level = 'district'
                             OR level = 'commune' OR level = 'village'),
  name TEXT NOT NULL,
  name_latin TEXT NOT NULL DEFAULT '',
  parent_code TEXT
) STRICT;
