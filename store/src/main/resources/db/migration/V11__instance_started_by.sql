-- Which server started a workspace's current instance. A process backend's instance is a process id
-- on that server's host, so only that server may probe or stop it. NULL for instances started
-- before servers recorded it: the server that owns the data directory treats those as its own.

ALTER TABLE workspaces ADD COLUMN started_by VARCHAR;
