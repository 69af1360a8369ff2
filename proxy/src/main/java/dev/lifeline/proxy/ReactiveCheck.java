package dev.lifeline.proxy;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The proxy's reactive health layer. An agent that is being killed closes its connections a moment
 * before the backend can see it gone, so when a dropped connection meets a first {@code RUNNING}
 * answer the check asks once more after a short settle time. Timeouts are not asked twice: a slow
 * agent is busy, not dying.
 */
final class ReactiveCheck {
    private final HealthCheck health;
    private final Duration settle;

    ReactiveCheck(HealthCheck health, Duration settle) {
        this.health = health;
        this.settle = settle;
    }

    Verdict suspect(Workspace workspace, IOException failure) {
        Verdict first = health.suspect(workspace, Evidence.REACTIVE_TRANSPORT);
        if (first != Verdict.ALIVE || failure instanceof HttpTimeoutException) {
            return first;
        }
        try {
            Thread.sleep(settle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return first;
        }
        return health.suspect(workspace, Evidence.REACTIVE_TRANSPORT);
    }
}
