-- Heartbeat expiry looks for watched workspaces whose last heartbeat (or, before the first, last
-- update) is older than a cutoff: with this index it reads only the silent rows of those statuses
-- instead of every row of a fleet that is nearly all online.

CREATE INDEX workspaces_status_heartbeat_idx ON workspaces (status, last_heartbeat_at, updated_at);
