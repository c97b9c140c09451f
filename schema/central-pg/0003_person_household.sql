-- 0003_person_household.sql (as schema/central/0008_person_household.sql):
-- no statement looks the duplicate index's people up by household, and
-- the index cost an entry for every person a push writes and every
-- person the duplicate job marks done (an update that is not HOT, since
-- the pending index's predicate changes).
DROP INDEX IF EXISTS person_household;
