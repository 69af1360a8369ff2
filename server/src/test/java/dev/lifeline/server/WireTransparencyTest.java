package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Through Lifeline an agent answers exactly as it does directly: each request goes once to the
 * agent's own address and once through Lifeline, and the status, the headers that matter and the
 * body must be the same. Run against two agents: Lifeline's reference agent and one built on the
 * official JavaScript SDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireTransparencyTest {
    /** The agent's headers a client acts on; every one the agent sends must come back. */
    private static final List<String> HEADERS_THAT_MATTER = List.of(
            "content-type", "content-encoding", "cache-control", "etag", "last-modified", "vary", "a2a-version");

    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BothAgents agents;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        agents = BothAgents.start(dataDir, Map.of("LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"));
    }

    @AfterAll
    void stop() {
        if (agents != null) {
            agents.close();
        }
    }

    static Stream<String> agents() {
        return BothAgents.names();
    }

    @ParameterizedTest
    @MethodSource("agents")
    void malformedJsonGetsTheAgentsParseError(String agent) throws Exception {
        assertSameAnswer(agent, "application/json", "{\"jsonrpc\":\"2.0\",\"method\":", "-32700");
    }

    @ParameterizedTest
    @MethodSource("agents")
    void aBatchGetsTheAgentsAnswer(String agent) throws Exception {
        assertSameAnswer(
                agent,
                "application/json",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"t1\"}}]",
                "\"error\"");
    }

    @ParameterizedTest
    @MethodSource("agents")
    void aJsonRpcRequestWithoutMessageIdReachesTheAgentWithoutOne(String agent) throws Exception {
        assertSameAnswer(
                agent,
                "application/json",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"SendMessage\","
                        + "\"params\":{\"message\":{\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hi\"}]}}}",
                "-32602");
    }

    @ParameterizedTest
    @MethodSource("agents")
    void aRequestOfAnotherContentTypeGetsTheAgentsRefusal(String agent) throws Exception {
        assertSameAnswer(
                agent,
                "text/plain",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"GetTask\",\"params\":{\"id\":\"t1\"}}",
                "-32005");
    }

    @ParameterizedTest
    @MethodSource("agents")
    void theCardLifelineServesIsTheAgents10CardPointedAtLifelineWithNoUrlAdded(String agent) throws Exception {
        HttpResponse<String> direct = get(agents.direct(agent) + "/.well-known/agent-card.json", Map.of());
        HttpResponse<String> through = get(agents.cardThroughLifeline(agent), admin());

        assertThat(through.statusCode()).isEqualTo(direct.statusCode()).isEqualTo(200);
        ObjectNode card = (ObjectNode) Json.MAPPER.readTree(through.body());
        assertThat(card.has("url")).isFalse();
        assertThat(card.get("supportedInterfaces"))
                .extracting(i -> i.get("url").asText())
                .containsOnly(agents.throughLifeline(agent));
        assertThat(withoutEndpointsAndSecurity(card))
                .isEqualTo(withoutEndpointsAndSecurity((ObjectNode) Json.MAPPER.readTree(direct.body())));
        JsonFormat.parser()
                .merge(through.body(), io.a2a.grpc.AgentCard.newBuilder()); // the 1.0 schema: no unknown field
    }

    @ParameterizedTest
    @MethodSource("agents")
    void aConditionalCardRequestIsAnswered304ThroughLifelineAsDirectly(String agent) throws Exception {
        String directUrl = agents.direct(agent) + "/.well-known/agent-card.json";
        HttpResponse<String> direct = get(directUrl, Map.of());
        HttpResponse<String> through = get(agents.cardThroughLifeline(agent), admin());

        HttpResponse<String> directAgain = get(directUrl, Map.of("If-None-Match", etag(direct)));
        HttpResponse<String> throughAgain = get(
                agents.cardThroughLifeline(agent), Map.of("If-None-Match", etag(through), "Authorization", bearer()));

        assertThat(throughAgain.statusCode())
                .isEqualTo(directAgain.statusCode())
                .isEqualTo(304);
        assertThat(throughAgain.body()).isEqualTo(directAgain.body()).isEmpty();
        assertThat(maxAge(through)).isPositive().isLessThanOrEqualTo(maxAge(direct));
        assertThat(etag(throughAgain)).isEqualTo(etag(through));
    }

    /** Sends the same request directly and through Lifeline; both answers must be the same. */
    private void assertSameAnswer(String agent, String contentType, String body, String expected) throws Exception {
        Map<String, String> headers = Map.of("Content-Type", contentType, "A2A-Version", "1.0");
        HttpResponse<String> direct = post(agents.direct(agent), headers, body);
        Map<String, String> withToken = new LinkedHashMap<>(headers);
        withToken.put("Authorization", bearer());
        HttpResponse<String> through = post(agents.throughLifeline(agent), withToken, body);

        assertThat(direct.body()).contains(expected);
        assertThat(through.statusCode()).isEqualTo(direct.statusCode());
        assertThat(headersThatMatter(through)).isEqualTo(headersThatMatter(direct));
        assertThat(through.body()).isEqualTo(direct.body());
    }

    /**
     * The headers an A2A client reads, less Lifeline's own {@code Vary: Origin}: every answer varies
     * by origin, since CORS headers depend on it, and that is added to the agent's {@code Vary}.
     */
    private static Map<String, List<String>> headersThatMatter(HttpResponse<?> response) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (String name : HEADERS_THAT_MATTER) {
            List<String> values = response.headers().allValues(name).stream()
                    .filter(v -> !(name.equalsIgnoreCase("Vary") && v.equals("Origin")))
                    .toList();
            if (!values.isEmpty()) {
                kept.put(name, values);
            }
        }
        return kept;
    }

    /** The card without what Lifeline rewrites: interface URLs and the security it declares. */
    private static ObjectNode withoutEndpointsAndSecurity(ObjectNode card) {
        ObjectNode copy = card.deepCopy();
        copy.get("supportedInterfaces").forEach(i -> ((ObjectNode) i).remove("url"));
        copy.remove(List.of("securitySchemes", "securityRequirements"));
        return copy;
    }

    private static String etag(HttpResponse<?> response) {
        return response.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
    }

    private static long maxAge(HttpResponse<?> response) {
        Optional<String> cacheControl = response.headers().firstValue("Cache-Control");
        Matcher m = MAX_AGE.matcher(cacheControl.orElse(""));
        assertThat(m.find()).as("a max-age in " + cacheControl).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static Map<String, String> admin() {
        return Map.of("Authorization", bearer());
    }

    private static String bearer() {
        return "Bearer " + TestServer.ADMIN_TOKEN;
    }

    private static HttpResponse<String> post(String url, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).GET().header("A2A-Version", "1.0");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
