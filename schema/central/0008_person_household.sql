-- The duplicate index's people were indexed by household as well, and no
-- statement ever looked them up that way: one more index entry for every
-- person a push writes and every person the duplicate job marks done, for
-- nothing. (Members are found by household through member_household_id.)
DROP INDEX IF EXISTS person_household;
