package dev.lifeline.core;

/**
 * The one door through which every health layer reports a suspicion. The implementation confirms
 * with the workspace's backend and acts only on proven death.
 */
@FunctionalInterface
public interface HealthCheck {
    Verdict suspect(Workspace workspace, Evidence evidence);
}
