package dev.lifeline.core;

/** What the supervisor concluded from a suspicion. */
public enum Verdict {
    /** The backend says the instance runs. */
    ALIVE,
    /** The backend proved death; the workspace is offline and a restart is under way. */
    DEAD_RESTARTING,
    /** The backend proved death, and no restart follows (paused, failed, external). */
    DEAD,
    /** The backend could not tell; nothing was done. */
    UNKNOWN
}
