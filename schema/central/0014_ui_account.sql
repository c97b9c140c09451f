-- 0014_ui_account.sql: the accounts of the registry's web UI (sws central
-- ui), kept apart from any office's staff accounts. A national officer sees
-- the whole registry; a province or district officer only the area named
-- (an `area` row of that level), checked when the account is made
-- (sync/central_account.c). Accounts are disabled, never deleted: the
-- registry's log names them as actors.
CREATE TABLE ui_account (
  login TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('national', 'province', 'district')),
  area_code TEXT,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at TEXT,
  CHECK ((role = 'national') = (area_code IS NULL))
) STRICT;

-- The offices of an area (sync/central_scope.c) include those whose
-- devices registered a household there: one index seek per device and
-- area code, not a scan of every household.
CREATE INDEX household_owner_area ON household(r_owner, area_code);
