-- Retention deletes activity and events by age, a bounded batch at a time, oldest first: each batch
-- reads the oldest rows through these indexes instead of scanning the whole table.

CREATE INDEX activity_logs_created_idx ON activity_logs (created_at);
CREATE INDEX structure_events_created_idx ON structure_events (created_at);
