/** The control-plane backend: each workspace on a cloud VM, run by a remote control plane over HTTP. */
@NullMarked
package dev.lifeline.backend.controlplane;

import org.jspecify.annotations.NullMarked;
