-- Automatic-restart bookkeeping kept with the row (restart_attempts and next_restart_at exist since
-- V1), so that the crash-loop budget and a pending back-off outlive the server that decided them and
-- are shared by every replica on one database.
--   restart_streak_started_at: when the current streak of quick deaths began (NULL: no streak)
--   online_since: when the current generation first came online (NULL: not yet); a death after a
--     long enough run starts the streak over

ALTER TABLE workspaces ADD COLUMN restart_streak_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE workspaces ADD COLUMN online_since TIMESTAMP WITH TIME ZONE;

-- The best known lower bound for a row that is serving now.
UPDATE workspaces SET online_since = updated_at WHERE status IN ('online', 'degraded');

CREATE INDEX workspaces_next_restart_idx ON workspaces (next_restart_at);
