/** The process backend: runs each workspace's agent as a local OS process. */
@NullMarked
package dev.lifeline.backend.process;

import org.jspecify.annotations.NullMarked;
