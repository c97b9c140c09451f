-- 0004_area.sql (as schema/central/0009_area.sql): the national area
-- hierarchy, for the monitoring report compiled layer by layer.
CREATE TABLE area (
  code text PRIMARY KEY,
  level text NOT NULL CHECK (level IN ('province', 'district', 'commune',
                                       'village')),
  name text NOT NULL,
  name_latin text NOT NULL DEFAULT '',
  parent_code text
);
