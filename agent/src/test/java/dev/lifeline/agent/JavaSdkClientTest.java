package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.a2a.A2A;
import io.a2a.client.Client;
import io.a2a.client.ClientEvent;
import io.a2a.client.MessageEvent;
import io.a2a.client.TaskEvent;
import io.a2a.client.TaskUpdateEvent;
import io.a2a.client.config.ClientConfig;
import io.a2a.client.transport.jsonrpc.JSONRPCTransport;
import io.a2a.client.transport.jsonrpc.JSONRPCTransportConfigBuilder;
import io.a2a.spec.AgentCard;
import io.a2a.spec.Part;
import io.a2a.spec.Task;
import io.a2a.spec.TaskState;
import io.a2a.spec.TextPart;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official A2A Java SDK's client ({@code io.github.a2asdk}) talking JSON-RPC to the reference agent directly. */
class JavaSdkClientTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);

    private final ReferenceAgent agent = ReferenceAgent.start(
            AgentConfig.standalone(0), ProcessExit.NONE, new PrintStream(OutputStream.nullOutputStream()));
    private final List<ClientEvent> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void theSdkClientReadsTheCardAndSendsAMessage() throws Exception {
        AgentCard card = A2A.getAgentCard(agent.url().toString());
        Client client = client(card, false);

        client.sendMessage(A2A.toUserMessage("hello from java"));

        await().atMost(ANSWER).until(() -> !events.isEmpty() || !errors.isEmpty());
        assertThat(errors).isEmpty();
        assertThat(card.name()).isEqualTo("echo");
        assertThat(events.getFirst()).isInstanceOfSatisfying(MessageEvent.class, e -> assertThat(
                        textOf(e.getMessage().parts()))
                .isEqualTo("echo: hello from java"));
    }

    @Test
    void theSdkClientStreamsAMessageToTheCompletedTask() throws Exception {
        Client client = client(A2A.getAgentCard(agent.url().toString()), true);

        client.sendMessage(A2A.toUserMessage("stream to java"));

        await().atMost(ANSWER).until(() -> finalTask() != null || !errors.isEmpty());
        assertThat(errors).filteredOn(e -> !selfCancellation(e)).isEmpty();
        assertThat(events.getFirst()).isInstanceOf(TaskEvent.class);
        Task task = finalTask();
        assertThat(task.status().state()).isEqualTo(TaskState.TASK_STATE_COMPLETED);
        assertThat(textOf(task.status().message().parts())).isEqualTo("echo: stream to java");
    }

    private Client client(AgentCard card, boolean streaming) throws Exception {
        return Client.builder(card)
                .clientConfig(new ClientConfig.Builder().setStreaming(streaming).build())
                .withTransport(JSONRPCTransport.class, new JSONRPCTransportConfigBuilder())
                .addConsumer((event, agentCard) -> events.add(event))
                .streamingErrorHandler(errors::add)
                .build();
    }

    /** The task as of the last update, once that update completed it. */
    private Task finalTask() {
        return events.stream()
                .filter(TaskUpdateEvent.class::isInstance)
                .map(e -> ((TaskUpdateEvent) e).getTask())
                .filter(t -> t.status().state() == TaskState.TASK_STATE_COMPLETED)
                .findFirst()
                .orElse(null);
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
