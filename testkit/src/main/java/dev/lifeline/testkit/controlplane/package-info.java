/**
 * An in-process control plane that implements the control-plane HTTP contract, for testing the
 * control-plane backend without a cloud: instances, failures on demand, recorded requests.
 */
@NullMarked
package dev.lifeline.testkit.controlplane;

import org.jspecify.annotations.NullMarked;
