-- 0012: reserved for another branch (numbers are assigned by the lead);
-- a no-op here so that this branch builds. Dropped on merge.
SELECT 1;
