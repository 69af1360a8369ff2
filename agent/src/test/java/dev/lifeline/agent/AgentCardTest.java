package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCardTest extends AgainstARunningAgent {

    private static final String CARD = "/.well-known/agent-card.json";

    @Test
    void aClientNamingNoVersionOr10GetsAPure10CardDeclaringTheEndpointAt10And03() throws Exception {
        for (Map<String, String> headers : java.util.List.of(Map.<String, String>of(), Map.of("A2A-Version", "1.0"))) {
            HttpResponse<String> response = client.get(CARD, headers);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode card = AgentClient.JSON.readTree(response.body());
            assertThat(card.properties())
                    .extracting(Map.Entry::getKey)
                    .containsExactly(
                            "name",
                            "description",
                            "supportedInterfaces",
                            "version",
                            "capabilities",
                            "defaultInputModes",
                            "defaultOutputModes",
                            "skills");
            assertThat(card.get("supportedInterfaces")).hasSize(2);
            assertInterface(card.at("/supportedInterfaces/0"), "1.0");
            assertInterface(card.at("/supportedInterfaces/1"), "0.3");
            assertThat(card.at("/capabilities/streaming").asBoolean()).isTrue();
            assertThat(card.at("/capabilities/pushNotifications").asBoolean()).isFalse();
            assertThat(card.at("/skills/0/id").asText()).isEqualTo("echo");
        }
    }

    @Test
    void a03ClientGetsTheCardWithThe03FieldsThatLocateTheEndpointAndAtTheLegacyPathToo() throws Exception {
        for (HttpResponse<String> response : java.util.List.of(
                client.get(CARD, Map.of("A2A-Version", "0.3")), client.get("/.well-known/agent.json"))) {
            JsonNode card = AgentClient.JSON.readTree(response.body());

            assertThat(card.get("url").asText()).isEqualTo(agent.url().toString());
            assertThat(card.get("preferredTransport").asText()).isEqualTo("JSONRPC");
            assertThat(card.get("protocolVersion").asText()).isEqualTo("0.3.0");
            assertThat(card.at("/additionalInterfaces/0/url").asText())
                    .isEqualTo(agent.url().toString());
            assertThat(card.at("/additionalInterfaces/0/transport").asText()).isEqualTo("JSONRPC");
            assertThat(card.at("/supportedInterfaces/0/protocolVersion").asText())
                    .isEqualTo("1.0");
            assertThat(card.at("/capabilities/streaming").asBoolean()).isTrue();
        }
    }

    @Test
    void theCardCarriesCacheControlWithMaxAgeAStrongETagAndLastModified() throws Exception {
        HttpResponse<String> response = client.get(CARD);

        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(response.headers().firstValue("ETag"))
                .hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]{32}\""));
        Instant lastModified = Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(
                response.headers().firstValue("Last-Modified").orElseThrow()));
        assertThat(lastModified).isBeforeOrEqualTo(Instant.now());
        assertThat(response.headers().firstValue("Vary")).hasValue("A2A-Version");
    }

    @Test
    void eachShapeOfTheCardHasItsOwnETag() throws Exception {
        String current = client.get(CARD).headers().firstValue("ETag").orElseThrow();
        String legacy = client.get(CARD, Map.of("A2A-Version", "0.3"))
                .headers()
                .firstValue("ETag")
                .orElseThrow();

        assertThat(current).isNotEqualTo(legacy);
    }

    @Test
    void aConditionalGetNamingTheCurrentETagIsAnswered304WithoutABody() throws Exception {
        String etag = client.get(CARD).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> response = client.get(CARD, Map.of("If-None-Match", "\"other\", " + etag));

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
    }

    @Test
    void aConditionalGetNamingAnotherETagGetsTheWholeCardEvenIfNotModifiedSince() throws Exception {
        String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusSeconds(60).atZone(ZoneOffset.UTC));

        HttpResponse<String> response =
                client.get(CARD, Map.of("If-None-Match", "\"stale\"", "If-Modified-Since", now));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(AgentClient.JSON.readTree(response.body()).get("name").asText())
                .isEqualTo("echo");
    }

    @Test
    void anIfModifiedSinceNotOlderThanTheCardIsAnswered304AndAnOlderOneGetsTheCard() throws Exception {
        String lastModified =
                client.get(CARD).headers().firstValue("Last-Modified").orElseThrow();
        String before = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(lastModified))
                        .minusSeconds(1)
                        .atZone(ZoneOffset.UTC));

        assertThat(client.get(CARD, Map.of("If-Modified-Since", lastModified)).statusCode())
                .isEqualTo(304);
        assertThat(client.get(CARD, Map.of("If-Modified-Since", before)).statusCode())
                .isEqualTo(200);
    }

    private static void assertInterface(JsonNode anInterface, String version) {
        assertThat(anInterface.get("url").asText()).isEqualTo(agent.url().toString());
        assertThat(anInterface.get("protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(anInterface.get("protocolVersion").asText()).isEqualTo(version);
    }
}
