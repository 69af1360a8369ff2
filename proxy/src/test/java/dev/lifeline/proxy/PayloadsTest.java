package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeline.core.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode normalise(String body) throws Exception {
        return JSON.readTree(
                Payloads.normalise(body.getBytes(StandardCharsets.UTF_8)).bytes());
    }

    @Test
    void aBareMethodAndParamsIsWrappedInAJsonRpcEnvelope() throws Exception {
        JsonNode out = normalise("{\"method\":\"SendMessage\",\"params\":{\"x\":1},\"extra\":true}");
        assertThat(out.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(out.get("id").asText()).isNotBlank();
        assertThat(out.get("method").asText()).isEqualTo("SendMessage");
        assertThat(out.get("params").get("x").asInt()).isEqualTo(1);
        assertThat(out.has("extra")).isFalse();
    }

    @Test
    void aMessageWithoutMessageIdGetsOne() throws Exception {
        JsonNode out =
                normalise("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{}}}");
        assertThat(out.get("id").asInt()).isEqualTo(7);
        assertThat(out.get("params").get("message").get("messageId").asText()).isNotBlank();
    }

    @Test
    void anExistingEnvelopeAndMessageIdAreKept() throws Exception {
        JsonNode out = normalise(
                "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"m\",\"params\":{\"message\":{\"messageId\":\"m1\"}}}");
        assertThat(out.get("params").get("message").get("messageId").asText()).isEqualTo("m1");
    }

    @Test
    void jsonThatIsNotAnObjectIsRejected() {
        assertThatThrownBy(() -> normalise("[1,2]"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("request body must be a JSON object");
        assertThatThrownBy(() -> normalise("{\"method\":")).hasMessage("invalid JSON");
    }

    @Test
    void aCompleteRequestIsForwardedAsTheCallersBytes() {
        byte[] body =
                "{ \"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"m\", \"params\": {\"message\": {\"messageId\": \"x\"}} }"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Payloads.Request request = Payloads.normalise(body);

        assertThat(request.bytes()).isSameAs(body);
        assertThat(request.idJson()).isEqualTo("3");
        assertThat(request.method()).isEqualTo("m");
    }
}
