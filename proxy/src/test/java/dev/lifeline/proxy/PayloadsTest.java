package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lifeline rewrites only the canvas's shape; every other body is the caller's, and the agent's to answer. */
class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AS_JSON = Map.of("Content-Type", "application/json");

    private static Payloads.Request prepare(String body, Map<String, String> headers) {
        return Payloads.prepare(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static JsonNode sent(Payloads.Request request) throws Exception {
        return JSON.readTree(request.bytes());
    }

    @Test
    void aBareMethodAndParamsIsWrappedInAJsonRpcEnvelope() throws Exception {
        Payloads.Request request = prepare("{\"method\":\"SendMessage\",\"params\":{\"x\":1},\"extra\":true}", AS_JSON);

        JsonNode out = sent(request);
        assertThat(request.rewritten()).isTrue();
        assertThat(out.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(out.get("id").asText()).isNotBlank();
        assertThat(request.idJson()).isEqualTo(JSON.writeValueAsString(out.get("id")));
        assertThat(out.get("method").asText()).isEqualTo("SendMessage");
        assertThat(out.get("params").get("x").asInt()).isEqualTo(1);
        assertThat(out.has("extra")).isFalse();
    }

    @Test
    void aWrappedMessageWithoutMessageIdGetsOne() throws Exception {
        JsonNode out = sent(prepare("{\"method\":\"message/send\",\"params\":{\"message\":{}}}", Map.of()));

        assertThat(out.get("params").get("message").get("messageId").asText()).isNotBlank();
    }

    @Test
    void aJsonRpcRequestWithoutMessageIdIsSentAsTheCallersBytes() {
        byte[] body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{\"message\":{}}}"
                .getBytes(StandardCharsets.UTF_8);

        Payloads.Request request = Payloads.prepare(body, AS_JSON);

        assertThat(request.bytes()).isSameAs(body);
        assertThat(request.rewritten()).isFalse();
        assertThat(request.idJson()).isEqualTo("7");
        assertThat(request.method()).isEqualTo("SendMessage");
    }

    @Test
    void bodiesThatAreNotOneJsonObjectAreSentAsTheCallersBytes() {
        for (String body :
                new String[] {"{\"method\":", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\"}]", "42", ""}) {
            Payloads.Request request = prepare(body, AS_JSON);

            assertThat(new String(request.bytes(), StandardCharsets.UTF_8))
                    .as(body)
                    .isEqualTo(body);
            assertThat(request.rewritten()).as(body).isFalse();
            assertThat(request.idJson()).as(body).isEqualTo("null");
            assertThat(request.method()).as(body).isEmpty();
        }
    }

    @Test
    void anObjectDeclaredAsAnotherContentTypeIsNotTheCanvassToRewrite() {
        Payloads.Request request =
                prepare("{\"method\":\"SendMessage\",\"params\":{}}", Map.of("Content-Type", "text/plain"));

        assertThat(request.rewritten()).isFalse();
        assertThat(new String(request.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"method\":\"SendMessage\",\"params\":{}}");
    }

    @Test
    void anyJsonMediaTypeAndParametersCountAsDeclaredJson() {
        for (String type :
                new String[] {"application/json; charset=utf-8", "application/a2a+json", "Application/JSON"}) {
            assertThat(prepare("{\"method\":\"m\"}", Map.of("Content-Type", type))
                            .rewritten())
                    .as(type)
                    .isTrue();
        }
    }

    @Test
    void aContentEncodedBodyIsNeverReadAsTheCanvassShape() {
        Payloads.Request request =
                prepare("{\"method\":\"m\"}", Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));

        assertThat(request.rewritten()).isFalse();
    }

    @Test
    void theStreamingScanReadsAJsonRpcRequestExactlyAsTheFullReadDoes() {
        for (String body : new String[] {
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{\"parts\":[1,{\"a\":[]}]}}}",
            "{\"params\":{},\"method\":\"SendMessage\",\"id\":\"a\\\"b\",\"jsonrpc\":\"2.0\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":{\"n\":[1.50]},\"method\":\"x\",\"method\":\"tasks/get\"}",
            "{\"jsonrpc\":null,\"method\":\"m\"} trailing",
            "{\"jsonrpc\":\"2.0\",\"id\":\"é\\u0001\\/x\\u2028\",\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":-9007199254740993,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.50,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}"
        }) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

            assertThat(Payloads.scan(bytes, AS_JSON)).hasValueSatisfying(scanned -> {
                Payloads.Request read = Payloads.prepare(bytes, AS_JSON);
                assertThat(scanned.bytes()).isSameAs(bytes);
                assertThat(scanned.method()).isEqualTo(read.method());
                assertThat(scanned.idJson()).isEqualTo(read.idJson());
                assertThat(scanned.rewritten()).isEqualTo(read.rewritten());
            });
        }
    }

    @Test
    void theStreamingScanLeavesEveryOtherBodyToTheFullRead() {
        for (String body : new String[] {
            "{\"method\":\"SendMessage\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"method\":5}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"m\"",
            "[{\"jsonrpc\":\"2.0\"}]",
            "not json"
        }) {
            assertThat(Payloads.scan(body.getBytes(StandardCharsets.UTF_8), AS_JSON))
                    .as(body)
                    .isEmpty();
        }
        byte[] encoded = "{\"jsonrpc\":\"2.0\",\"method\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Payloads.scan(encoded, Map.of("Content-Encoding", "gzip"))).isEmpty();
    }
}
