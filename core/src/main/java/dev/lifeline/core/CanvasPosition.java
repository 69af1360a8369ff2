package dev.lifeline.core;

/**
 * Where an operator's canvas draws a workspace's node, in the canvas's own coordinates. Lifeline
 * stores it for the canvas and never reads it.
 */
public record CanvasPosition(double x, double y) {
    /** Where a node that was never placed is drawn. */
    public static final CanvasPosition ORIGIN = new CanvasPosition(0, 0);

    public CanvasPosition {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a canvas position is two finite numbers");
        }
    }
}
