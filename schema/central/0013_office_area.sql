-- 0013_office_area.sql: the area an office serves (a district or a
-- commune of the area table), so that a grievance escalated above the
-- office waits in the queue of its district, its province and the nation
-- (sws central grievance list). NULL: not set; a grievance then goes by
-- its household's village. Set with 'sws central office area'.
ALTER TABLE office ADD COLUMN area_code TEXT;
