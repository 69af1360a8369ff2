package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class PassedHeadersTest {
    private static final List<Map.Entry<String, String>> AGENT = List.of(
            Map.entry("date", "Mon, 30 Nov 2026 20:00:00 GMT"),
            Map.entry("content-type", "application/json"),
            Map.entry("Set-Cookie", "session=agent"),
            Map.entry("VARY", "Accept"),
            Map.entry("Content-Length", "42"),
            Map.entry("a2a-extensions", "https://example.com/ext/1"),
            Map.entry("Connection", "keep-alive"),
            Map.entry("Vary", "Accept-Encoding"),
            Map.entry("WWW-Authenticate", "Bearer"),
            Map.entry("A2A-Extensions", "https://example.com/ext/2"));

    @Test
    void theAgentsHeadersThatPassBackAreItsDescriptionsOfTheAnswerUnderTheirOwnNamesWithRepeatedValuesJoined() {
        Map<String, String> passed = PassedHeaders.fromAgentHeaders(AGENT);

        assertThat(passed)
                .containsExactly(
                        Map.entry("Content-Type", "application/json"),
                        Map.entry("Vary", "Accept, Accept-Encoding"),
                        Map.entry("A2A-Extensions", "https://example.com/ext/1, https://example.com/ext/2"));
    }

    @Test
    void jettysFieldsPassBackAsNettysHeadersDo() {
        HttpFields.Mutable fields = HttpFields.build();
        AGENT.forEach(h -> fields.add(h.getKey(), h.getValue()));

        assertThat(PassedHeaders.fromAgent(fields)).containsExactlyEntriesOf(PassedHeaders.fromAgentHeaders(AGENT));
        assertThat(PassedHeaders.fromAgentHeaders(List.of(Map.entry("Content-Length", "0"))))
                .isEmpty();
    }
}
