package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void readingTheHeadersInOnePassPassesWhatAskingForEachNameDoes() {
        Map<String, String> byName = PassedHeaders.fromAgentValues(name -> {
            List<String> values = new ArrayList<>();
            AGENT.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).forEach(h -> values.add(h.getValue()));
            return values;
        });

        assertThat(PassedHeaders.fromAgentHeaders(AGENT)).containsExactlyEntriesOf(byName);
        assertThat(PassedHeaders.fromAgentHeaders(List.of(Map.entry("Content-Length", "0"))))
                .isEmpty();
    }
}
