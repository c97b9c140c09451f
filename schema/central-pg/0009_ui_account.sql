-- 0009_ui_account.sql (as schema/central/0014_ui_account.sql): the
-- accounts of the registry's web UI, national or of one area.
CREATE TABLE ui_account (
  login text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('national', 'province', 'district')),
  area_code text,
  password_hash text NOT NULL,
  active integer NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at text NOT NULL,
  created_by text NOT NULL,
  disabled_at text,
  CHECK ((role = 'national') = (area_code IS NULL))
);

-- The offices of an area: one index seek per device and area code.
CREATE INDEX household_owner_area ON household(r_owner, area_code);
