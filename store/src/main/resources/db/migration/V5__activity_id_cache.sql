-- The audit trail's ids are handed out a thousand at a time. In the embedded H2 a sequence writes its
-- state to disk each time its cache is used up, and with the default of 32 that write cost more than
-- the rows themselves under load. A restart may leave a gap in the ids, which nothing depends on.

ALTER TABLE activity_logs ALTER COLUMN id SET CACHE 1000;
