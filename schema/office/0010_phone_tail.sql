-- 0010_phone_tail.sql: find a phone number however it was written.
--
-- People give their number the way they say it (012 345 678) while a
-- legacy list or another officer wrote it the international way
-- (+855 12 345 678), and Mongolian numbers come with and without +976.
-- Stored numbers keep the digits (and a leading '+') as typed; search
-- compares them without the '+', the international code and the leading
-- zeros, and finds each number by its last 8 characters (at least the
-- subscriber number in Cambodia and Mongolia), which these indexes hold
-- (cases/search.c, by_phone_or_id). They replace the indexes on the whole
-- number, which only search used.
DROP INDEX household_phone;
DROP INDEX member_phone;
CREATE INDEX household_phone_tail ON household(substr(phone, -8))
  WHERE phone != '';
CREATE INDEX member_phone_tail ON member(substr(phone, -8))
  WHERE phone != '';
