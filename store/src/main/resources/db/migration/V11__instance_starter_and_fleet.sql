-- Which server started a workspace's current instance. A process backend's instance is a process id
-- on that server's host, so only that server may probe or stop it. NULL for instances started
-- before servers recorded it: the server that owns the data directory treats those as its own.

ALTER TABLE workspaces ADD COLUMN started_by VARCHAR;

-- The id the replicas on this database share: what a shared backend (one Docker engine) creates
-- carries it, so every replica watches, adopts and reaps the fleet's instances, not only its own.
-- The first server to start on this database sets it to its own id, so a lone server's labels do
-- not change.
CREATE TABLE fleet (
    id          INTEGER PRIMARY KEY,
    fleet_id    VARCHAR
);
INSERT INTO fleet (id, fleet_id) VALUES (1, NULL);
