package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamLinesTest {
    private final StreamLines lines = new StreamLines();

    @Test
    void aStreamIsBetweenEventsBeforeItsFirstByteAndAfterEachBlankLine() {
        assertThat(lines.betweenEvents()).isTrue();

        lines.saw(bytes("data: {\"n\":1}\n"));
        assertThat(lines.betweenEvents()).isFalse();

        lines.saw(bytes("\n"));
        assertThat(lines.betweenEvents()).as("a blank line split across chunks").isTrue();

        lines.saw(bytes("data: {\"n\":2}\r\n\r\n"));
        assertThat(lines.betweenEvents()).isTrue();

        lines.saw(bytes("data"));
        assertThat(lines.betweenEvents()).isFalse();
    }

    @Test
    void anEmptyChunkChangesNothing() {
        lines.saw(bytes("data: x"));
        lines.saw(new byte[0]);

        assertThat(lines.betweenEvents()).isFalse();
    }

    @Test
    void theLastEventOfABrokenStreamSaysWhetherTheAgentRestartsUnderTheCallsId() {
        assertThat(new String(StreamLines.broken("\"a-1\"", true), StandardCharsets.UTF_8))
                .isEqualTo("data: {\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"error\":{\"code\":-32603,\"message\":"
                        + "\"workspace agent died mid-stream — restart in progress, retry shortly\","
                        + "\"data\":{\"restarting\":true}}}\n\n");
        assertThat(new String(StreamLines.cutOff("7", CallLimits.Cutoff.DEADLINE), StandardCharsets.UTF_8))
                .contains("\"id\":7,", "the call's deadline passed", "\"restarting\":false");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
