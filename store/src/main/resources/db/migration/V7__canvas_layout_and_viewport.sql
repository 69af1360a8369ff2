-- What the operator's canvas draws: where each workspace's node sits and whether its children are
-- folded away, and the one viewport the canvas last showed. Lifeline stores these for the canvas and
-- reads none of them itself; a node never placed sits at the origin.

ALTER TABLE workspaces ADD COLUMN canvas_x DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN canvas_y DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN canvas_collapsed BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE canvas_viewport (
    id       INTEGER PRIMARY KEY,
    x        DOUBLE PRECISION NOT NULL,
    y        DOUBLE PRECISION NOT NULL,
    zoom     DOUBLE PRECISION NOT NULL,
    saved_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT canvas_viewport_single_row CHECK (id = 1),
    CONSTRAINT canvas_viewport_zoom_check CHECK (zoom > 0)
);

INSERT INTO canvas_viewport (id, x, y, zoom) VALUES (1, 0, 0, 1);
