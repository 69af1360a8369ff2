package dev.lifeline.core;

/** The part of the canvas an operator last looked at: its pan offset and zoom factor. */
public record CanvasViewport(double x, double y, double zoom) {
    /** The view of a canvas that never saved one. */
    public static final CanvasViewport DEFAULT = new CanvasViewport(0, 0, 1);

    public CanvasViewport {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(zoom > 0) || !Double.isFinite(zoom)) {
            throw new IllegalArgumentException("a viewport is a finite offset and a positive finite zoom");
        }
    }
}
