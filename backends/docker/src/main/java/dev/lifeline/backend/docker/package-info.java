/** The Docker backend: runs each workspace's agent as a container through the Docker Engine API. */
@NullMarked
package dev.lifeline.backend.docker;

import org.jspecify.annotations.NullMarked;
