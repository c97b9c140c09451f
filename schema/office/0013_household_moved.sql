-- 0013_household_moved.sql: a family that moved to another office.
--
-- When a family moves to an area another office serves, that office asks
-- the registry for it; the registry gives it the household and everything
-- done for it (sync/central_move.h) and tells this office, which keeps
-- its copy read only: deactivated with the reason "moved to KH13 on
-- DATE", and listed here. The triggers below refuse every change to the
-- family's records that does not come from sync (which alone may still
-- write them: what the registry sends), so no command, page or import
-- changes a family this office no longer serves.
CREATE TABLE household_moved (
  household_id TEXT PRIMARY KEY REFERENCES household(id),
  to_office TEXT NOT NULL CHECK (length(to_office) BETWEEN 1 AND 16),
  moved_at TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0 CHECK (records >= 0)
) STRICT;
CREATE TRIGGER household_moved_guard_i BEFORE INSERT ON household_moved
  BEGIN SELECT sws_op(); END;
CREATE TRIGGER household_moved_guard_u BEFORE UPDATE ON household_moved
  BEGIN SELECT sws_op(); END;

-- read only but for sync (like the guards of 0001, these name sws's own
-- functions: a hand edit in the sqlite3 shell drops them first)
CREATE TRIGGER moved_household_u BEFORE UPDATE ON household
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (old.id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_member_i BEFORE INSERT ON member
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_member_u BEFORE UPDATE ON member
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (old.household_id, new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_file_i BEFORE INSERT ON case_file
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_file_u BEFORE UPDATE ON case_file
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_assessment_i BEFORE INSERT ON assessment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_assessment_u BEFORE UPDATE ON assessment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_enrolment_i BEFORE INSERT ON enrolment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_enrolment_u BEFORE UPDATE ON enrolment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_referral_i BEFORE INSERT ON referral
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_referral_u BEFORE UPDATE ON referral
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_grievance_i BEFORE INSERT ON grievance
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_grievance_u BEFORE UPDATE ON grievance
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (new.household_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_assignment_i BEFORE INSERT ON case_assignment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_assignment_u BEFORE UPDATE ON case_assignment
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_note_i BEFORE INSERT ON case_note
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_case_note_u BEFORE UPDATE ON case_note
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_plan_goal_i BEFORE INSERT ON plan_goal
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_plan_goal_u BEFORE UPDATE ON plan_goal
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_plan_action_i BEFORE INSERT ON plan_action
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_plan_action_u BEFORE UPDATE ON plan_action
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM case_file WHERE id = new.case_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_referral_event_i BEFORE INSERT ON referral_event
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM referral WHERE id = new.referral_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_referral_event_u BEFORE UPDATE ON referral_event
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM referral WHERE id = new.referral_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_grievance_event_i BEFORE INSERT ON grievance_event
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM grievance WHERE id = new.grievance_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
CREATE TRIGGER moved_grievance_event_u BEFORE UPDATE ON grievance_event
  WHEN EXISTS (SELECT 1 FROM household_moved WHERE household_id IN
    (SELECT household_id FROM grievance WHERE id = new.grievance_id)) AND sws_op_action() NOT LIKE 'sync.%'
  BEGIN SELECT RAISE(ABORT, 'this family moved to another office: its records are changed there (sws household show says where)'); END;
