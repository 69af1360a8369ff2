package dev.lifeline.agent;

/** Ends the agent's process; in-process agents (tests) stop serving instead. */
@FunctionalInterface
interface ProcessExit {

    ProcessExit NONE = status -> {};

    void exit(int status);
}
