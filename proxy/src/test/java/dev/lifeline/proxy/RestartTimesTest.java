package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A caller told to come back is told when: what the workspace's last return took, less what has passed. */
class RestartTimesTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final WorkspaceId id = WorkspaceId.random();
    private final RestartTimes times = new RestartTimes();

    @Test
    void aWorkspaceNeverSeenComingBackGetsTheDefault() {
        assertThat(times.retryAfterSeconds(id, t0)).isEqualTo(ProxyConfig.RESTART_RETRY_AFTER);
    }

    @Test
    void theRestOfTheLastRestartsDurationIsTheAnswerRoundedUp() {
        cameBack(Duration.ofMillis(3_400));
        times.seen(new PublishedEvent(new WorkspaceEvent.Offline(id, "backend_watch"), t0.plusSeconds(60)));

        assertThat(times.retryAfterSeconds(id, t0.plusSeconds(61))).isEqualTo(3);
    }

    @Test
    void aQuickRestartStillSaysAtLeastOneSecond() {
        cameBack(Duration.ofMillis(600));

        assertThat(times.retryAfterSeconds(id, t0.plusSeconds(100))).isEqualTo(1);
    }

    @Test
    void aRestartLaterThanTheLastOneGetsTheDefault() {
        cameBack(Duration.ofSeconds(2));
        times.seen(new PublishedEvent(new WorkspaceEvent.Offline(id, "backend_watch"), t0.plusSeconds(60)));

        assertThat(times.retryAfterSeconds(id, t0.plusSeconds(90))).isEqualTo(ProxyConfig.RESTART_RETRY_AFTER);
    }

    private void cameBack(Duration took) {
        times.seen(new PublishedEvent(new WorkspaceEvent.Provisioning(id, "w", 2, "echo"), t0));
        times.seen(new PublishedEvent(new WorkspaceEvent.Online(id, "http://127.0.0.1:1", null, null), t0.plus(took)));
    }
}
