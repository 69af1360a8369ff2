/** Fixtures shared by the modules' tests: the Provisioner contract and a fake clock. */
@NullMarked
package dev.lifeline.testkit;

import org.jspecify.annotations.NullMarked;
