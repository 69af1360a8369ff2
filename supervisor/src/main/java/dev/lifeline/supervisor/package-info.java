/** Health layers and the restart coordinator: every suspicion of death is confirmed here. */
@NullMarked
package dev.lifeline.supervisor;

import org.jspecify.annotations.NullMarked;
