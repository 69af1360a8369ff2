/**
 * The reference agent: a small, real A2A server (echo plus fault injection) that registers with
 * Lifeline and heartbeats, used by the demo and the tests.
 */
@NullMarked
package dev.lifeline.agent;

import org.jspecify.annotations.NullMarked;
