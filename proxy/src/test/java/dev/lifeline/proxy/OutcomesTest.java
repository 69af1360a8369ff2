package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Verdict;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** Every row of the outcome table of design §6. */
class OutcomesTest {
    @Test
    void upstream5xxFromADeadAgentBecomesA503RestartingWithRetryAfter15() {
        ProxyReply.Refused r = Outcomes.upstreamError(Verdict.DEAD_RESTARTING).orElseThrow();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "15");
        assertThat(r.body()).containsEntry("restarting", true).containsEntry("retry_after", 15);
    }

    @Test
    void upstream5xxFromALiveOrUncertainAgentIsPropagated() {
        assertThat(Outcomes.upstreamError(Verdict.ALIVE)).isEmpty();
        assertThat(Outcomes.upstreamError(Verdict.UNKNOWN)).isEmpty();
    }

    @Test
    void aTransportFailureOfADeadAgentIsTheSameStructured503() {
        ProxyReply.Refused r = Outcomes.transportFailure(Verdict.DEAD_RESTARTING, new ConnectException("refused"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "15");
        assertThat(r.body()).containsEntry("restarting", true);
    }

    @Test
    void busyShapedFailuresOfALiveAgentAskTheCallerToComeBackIn30Seconds() {
        for (IOException busy : new IOException[] {
            new HttpTimeoutException("request timed out"),
            new EOFException(),
            new SocketException("Connection reset"),
            new SocketException("Broken pipe")
        }) {
            ProxyReply.Refused r = Outcomes.transportFailure(Verdict.ALIVE, busy);
            assertThat(r.status()).as(busy.toString()).isEqualTo(503);
            assertThat(r.headers()).containsEntry("Retry-After", "30");
            assertThat(r.body()).containsEntry("busy", true);
        }
    }

    @Test
    void aFailureIsJudgedByItsTypeNotByWhatItsMessageSays() {
        for (IOException unreachable : new IOException[] {
            new ConnectException("Connection reset"), new IOException("unexpected EOF, connection reset")
        }) {
            ProxyReply.Refused r = Outcomes.transportFailure(Verdict.ALIVE, unreachable);
            assertThat(r.status()).as(unreachable.toString()).isEqualTo(502);
            assertThat(r.body()).containsEntry("error", "failed to reach workspace agent");
        }
    }

    @Test
    void otherTransportFailuresOfALiveAgentAreA502() {
        ProxyReply.Refused r = Outcomes.transportFailure(Verdict.UNKNOWN, new ConnectException("Connection refused"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).containsEntry("error", "failed to reach workspace agent");
    }

    @Test
    void aDeadAgentThatWillNotBeRestartedSaysSo() {
        ProxyReply.Refused r = Outcomes.transportFailure(Verdict.DEAD, new ConnectException("refused"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).containsEntry("restarting", false);
    }
}
