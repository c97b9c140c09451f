-- 0008_office_area.sql (as schema/central/0013_office_area.sql): the area
-- an office serves (a district or a commune), for the grievance queues of
-- the layers above the office.
ALTER TABLE office ADD COLUMN area_code text;
