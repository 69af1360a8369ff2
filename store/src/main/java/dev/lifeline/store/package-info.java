/** The JDBC workspace store: H2 embedded by default, PostgreSQL in production, one schema for both. */
@NullMarked
package dev.lifeline.store;

import org.jspecify.annotations.NullMarked;
