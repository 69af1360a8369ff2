-- The lock that serialises the writes of the workspace tree (parent links and removals); see
-- TreeWrites. Exactly one row, which those transactions select FOR UPDATE before they check and write.

CREATE TABLE workspace_tree_lock (
    id INTEGER PRIMARY KEY,
    CONSTRAINT workspace_tree_lock_single_row CHECK (id = 1)
);

INSERT INTO workspace_tree_lock (id) VALUES (1);
