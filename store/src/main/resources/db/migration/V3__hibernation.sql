-- Opt-in automatic hibernation: a workspace idle for this many minutes is stopped and woken by the
-- next A2A call. NULL or 0 disables it. Idleness is read from the activity trail, in both directions.

ALTER TABLE workspaces ADD COLUMN hibernation_idle_minutes INTEGER;
ALTER TABLE workspaces ADD CONSTRAINT workspaces_hibernation_idle_check CHECK (hibernation_idle_minutes >= 0);

CREATE INDEX activity_logs_source_created_idx ON activity_logs (source_id, created_at);
