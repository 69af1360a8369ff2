/** The HTTP edge, configuration, CLI and the composition root: the only place that wires classes. */
@NullMarked
package dev.lifeline.server;

import org.jspecify.annotations.NullMarked;
