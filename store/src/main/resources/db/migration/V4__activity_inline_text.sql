-- The audit trail's text columns become bounded VARCHARs: the proxy clips bodies to 64 KiB, and in
-- the embedded H2 a TEXT (CLOB) value is written to separate LOB storage, which made each activity
-- row cost more than the call it records. PostgreSQL stores both types the same way.

ALTER TABLE activity_logs ALTER COLUMN summary SET DATA TYPE VARCHAR(1000000);
ALTER TABLE activity_logs ALTER COLUMN request_body SET DATA TYPE VARCHAR(1000000);
ALTER TABLE activity_logs ALTER COLUMN response_body SET DATA TYPE VARCHAR(1000000);
ALTER TABLE activity_logs ALTER COLUMN error_detail SET DATA TYPE VARCHAR(1000000);
