package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.proxy.AgentCards;
import io.a2a.A2A;
import io.a2a.client.Client;
import io.a2a.client.ClientEvent;
import io.a2a.client.MessageEvent;
import io.a2a.client.TaskEvent;
import io.a2a.client.TaskUpdateEvent;
import io.a2a.client.config.ClientConfig;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.jsonrpc.JSONRPCTransportConfigBuilder;
import io.a2a.client.transport.spi.interceptors.ClientCallContext;
import io.a2a.client.transport.spi.interceptors.ClientCallInterceptor;
import io.a2a.client.transport.spi.interceptors.PayloadAndHeaders;
import io.a2a.client.transport.spi.interceptors.auth.AuthInterceptor;
import io.a2a.spec.AgentCard;
import io.a2a.spec.HTTPAuthSecurityScheme;
import io.a2a.spec.Message;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TaskState;
import io.a2a.spec.TextPart;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official A2A Java SDK's client ({@code io.github.a2asdk}) calling both agents through
 * Lifeline. The cards are public here ({@code LIFELINE_AGENT_CARD_PUBLIC=true}): the client reads one
 * without a token, learns from it that calls need Lifeline's bearer token, and its own {@link
 * AuthInterceptor} sends the token on every call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaSdkThroughLifelineTest {
    private static final Duration ANSWER = Duration.ofSeconds(20);

    private BothAgents agents;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        agents = BothAgents.start(
                dataDir, Map.of("LIFELINE_AGENT_CARD_PUBLIC", "true", "LIFELINE_SWEEP_INTERVAL_SECONDS", "3600"));
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
    void theSdkReadsTheCardThroughLifelineAndFindsTheBearerTokenItMustSend(String agent) throws Exception {
        AgentCard card = card(agent);

        assertThat(card.supportedInterfaces()).extracting(i -> i.url()).containsOnly(agents.throughLifeline(agent));
        assertThat(card.securitySchemes().get(AgentCards.SCHEME))
                .isInstanceOfSatisfying(HTTPAuthSecurityScheme.class, s -> assertThat(s.scheme())
                        .isEqualToIgnoringCase("bearer"));
        assertThat(card.securityRequirements()).singleElement().satisfies(r -> assertThat(r.schemes())
                .containsOnlyKeys(AgentCards.SCHEME));
    }

    @ParameterizedTest
    @MethodSource("agents")
    void theSdkSendsAMessageThroughLifeline(String agent) throws Exception {
        Calls calls = new Calls();
        Client client = calls.client(card(agent), false);

        client.sendMessage(A2A.toUserMessage("hello through lifeline"));

        await().atMost(ANSWER).until(() -> calls.answer().isPresent() || !calls.errors.isEmpty());
        assertThat(calls.errors).isEmpty();
        assertThat(calls.answer()).hasValue("echo: hello through lifeline");
    }

    @ParameterizedTest
    @MethodSource("agents")
    void theSdkStreamsAMessageThroughLifelineToTheCompletedTask(String agent) throws Exception {
        Calls calls = new Calls();
        Client client = calls.client(card(agent), true);

        client.sendMessage(A2A.toUserMessage("streamed through lifeline"));

        await().atMost(ANSWER).until(() -> calls.completed().isPresent() || !calls.errors.isEmpty());
        assertThat(calls.errors).filteredOn(e -> !selfCancellation(e)).isEmpty();
        Task task = calls.completed().orElseThrow();
        assertThat(task.status().state()).isEqualTo(TaskState.TASK_STATE_COMPLETED);
        assertThat(textOf(task.status().message().parts())).isEqualTo("echo: streamed through lifeline");
    }

    @Test
    void aPublicCardNeedsNoTokenButTheCallsStillDo() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String agent = BothAgents.REFERENCE;

        HttpResponse<String> card = http.send(
                HttpRequest.newBuilder(URI.create(agents.cardThroughLifeline(agent)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> call = http.send(
                HttpRequest.newBuilder(URI.create(agents.throughLifeline(agent)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(card.statusCode()).isEqualTo(200);
        assertThat(card.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(call.statusCode()).isEqualTo(401);
    }

    /**
     * The SDK's own resolver, given Lifeline's address and the card's path under it: it resolves the
     * path against the host, so the workspace's prefix goes into the path.
     */
    private AgentCard card(String agent) throws Exception {
        return A2A.getAgentCard(
                agents.server.url(), "/workspaces/" + agents.id(agent) + "/.well-known/agent-card.json", Map.of());
    }

    /** One client's events and errors. */
    private static final class Calls {
        private final List<ClientEvent> events = new CopyOnWriteArrayList<>();
        private final List<Throwable> errors = new CopyOnWriteArrayList<>();

        /** A client that sends Lifeline's admin token wherever the card asks for Lifeline's scheme. */
        Client client(AgentCard card, boolean streaming) throws Exception {
            AuthInterceptor auth = new AuthInterceptor(
                    (scheme, context) -> scheme.equals(AgentCards.SCHEME) ? TestServer.ADMIN_TOKEN : null);
            return Client.builder(card)
                    .clientConfig(
                            new ClientConfig.Builder().setStreaming(streaming).build())
                    .withTransport(
                            JSONRPCTransport.class,
                            new JSONRPCTransportConfigBuilder()
                                    .addInterceptor(auth)
                                    .addInterceptor(new NamesTheVersion()))
                    .addConsumer((event, agentCard) -> events.add(event))
                    .streamingErrorHandler(errors::add)
                    .build();
        }

        /** The answer's text: a message's own, or a task's final status message. */
        Optional<String> answer() {
            return events.stream()
                    .map(e -> switch (e) {
                        case MessageEvent m -> Optional.of(m.getMessage());
                        case TaskEvent t ->
                            Optional.ofNullable(t.getTask().status().message());
                        default -> Optional.<Message>empty();
                    })
                    .flatMap(Optional::stream)
                    .map(m -> textOf(m.parts()))
                    .findFirst();
        }

        /** The task as of the update that completed it. */
        Optional<Task> completed() {
            return events.stream()
                    .filter(TaskUpdateEvent.class::isInstance)
                    .map(e -> ((TaskUpdateEvent) e).getTask())
                    .filter(t -> t.status().state() == TaskState.TASK_STATE_COMPLETED)
                    .findFirst();
        }
    }

    /**
     * Sends {@code A2A-Version: 1.0}, as A2A 1.0 asks of every client: this SDK release names no
     * version over JSON-RPC, and the JavaScript SDK's agent reads a request without one as 0.3, which
     * it refuses ({@code -32009}), directly as through Lifeline.
     */
    private static final class NamesTheVersion extends ClientCallInterceptor {
        @Override
        public PayloadAndHeaders intercept(
                String method, Object payload, Map<String, String> headers, AgentCard card, ClientCallContext context) {
            Map<String, String> named = new HashMap<>(headers);
            named.put("A2A-Version", "1.0");
            return new PayloadAndHeaders(payload, named);
        }
    }

    /**
     * The SDK closes a stream itself once it has seen the final event, and then hands its own
     * cancellation of the request to the error handler; that is not an error of the agent.
     */
    private static boolean selfCancellation(Throwable error) {
        return error instanceof IOException && "Request cancelled".equals(error.getMessage());
    }

    private static String textOf(List<Part<?>> parts) {
        StringBuilder text = new StringBuilder();
        parts.stream().filter(TextPart.class::isInstance).forEach(p -> text.append(((TextPart) p).text()));
        return text.toString();
    }
}
