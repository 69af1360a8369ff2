/** Lifeline's domain: workspaces, their lifecycle, liveness, events and the extension points. */
@NullMarked
package dev.lifeline.core;

import org.jspecify.annotations.NullMarked;
