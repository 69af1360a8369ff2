package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void readsEachCommand() {
        assertThat(Fault.parse("!status 502")).isEqualTo(new Fault.Status(502));
        assertThat(Fault.parse("  !hang 1.5 ")).isEqualTo(new Fault.Hang(Duration.ofMillis(1_500)));
        assertThat(Fault.parse("!exit")).isEqualTo(new Fault.Exit());
        assertThat(Fault.parse("!silence")).isEqualTo(new Fault.Silence());
        assertThat(Fault.parse("!stream-gaps 5 0.25")).isEqualTo(new Fault.StreamGaps(5, Duration.ofMillis(250)));
    }

    @Test
    void ordinaryTextIsNoFault() {
        assertThat(Fault.parse("hello")).isEqualTo(new Fault.None());
        assertThat(Fault.parse("")).isEqualTo(new Fault.None());
        assertThat(Fault.parse("say !status 502")).isEqualTo(new Fault.None());
    }

    @Test
    void acceptsEveryHttpStatusAndNothingElse() {
        assertThat(Fault.parse("!status 100")).isEqualTo(new Fault.Status(100));
        assertThat(Fault.parse("!status 599")).isEqualTo(new Fault.Status(599));
        assertThatThrownBy(() -> Fault.parse("!status 99")).isInstanceOf(JsonRpcException.class);
        assertThatThrownBy(() -> Fault.parse("!status 600")).isInstanceOf(JsonRpcException.class);
        assertThatThrownBy(() -> Fault.parse("!status")).isInstanceOf(JsonRpcException.class);
    }

    @Test
    void rejectsBadDurationsAsInvalidParams() {
        assertThatThrownBy(() -> Fault.parse("!hang -1"))
                .isInstanceOfSatisfying(
                        JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(-32602));
        assertThatThrownBy(() -> Fault.parse("!hang NaN")).isInstanceOf(JsonRpcException.class);
        assertThatThrownBy(() -> Fault.parse("!stream-gaps 3")).isInstanceOf(JsonRpcException.class);
    }
}
