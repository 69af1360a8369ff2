/** Fixtures shared by the modules' tests: the Provisioner contract, a fake clock and a stub agent. */
@NullMarked
package dev.lifeline.testkit;

import org.jspecify.annotations.NullMarked;
