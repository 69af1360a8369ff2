package dev.lifeline.agent;

import static dev.lifeline.agent.AgentClient.sendRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class A2aProtocolTest extends AgainstARunningAgent {

    @Test
    void sendMessageAnswersWithAWrappedAgentMessageEchoingTheText() throws Exception {
        JsonNode response = client.call(sendRequest(1, "SendMessage", "hello", false));

        assertThat(response.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.get("id").asInt()).isEqualTo(1);
        JsonNode message = response.at("/result/message");
        assertThat(message.get("role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(message.at("/parts/0/text").asText()).isEqualTo("echo: hello");
        assertThat(message.get("messageId").asText()).isNotBlank();
        assertThat(message.has("kind")).isFalse();
    }

    @Test
    void messageSendAnswersWithAMessageOfKindMessageEchoingTheText() throws Exception {
        JsonNode response = client.call(sendRequest("req-7", "message/send", "hello", true));

        assertThat(response.get("id").asText()).isEqualTo("req-7");
        JsonNode message = response.get("result");
        assertThat(message.get("kind").asText()).isEqualTo("message");
        assertThat(message.get("role").asText()).isEqualTo("agent");
        assertThat(message.at("/parts/0/kind").asText()).isEqualTo("text");
        assertThat(message.at("/parts/0/text").asText()).isEqualTo("echo: hello");
        assertThat(message.get("contextId").asText()).isNotBlank();
    }

    @Test
    void messageStreamSendsATaskThenChunksThenAFinalCompletedStatusUpdate() throws Exception {
        HttpResponse<String> response = client.post(sendRequest(2, "message/stream", "hello there", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> events = AgentClient.events(response.body());
        assertThat(events).hasSize(6).allSatisfy(e -> assertThat(e.get("id").asInt())
                .isEqualTo(2));
        List<String> kinds =
                events.stream().map(e -> e.at("/result/kind").asText()).toList();
        assertThat(kinds)
                .containsExactly(
                        "task",
                        "status-update",
                        "artifact-update",
                        "artifact-update",
                        "artifact-update",
                        "status-update");
        JsonNode last = events.getLast().get("result");
        assertThat(last.get("final").asBoolean()).isTrue();
        assertThat(last.at("/status/state").asText()).isEqualTo("completed");
        assertThat(last.at("/status/message/parts/0/text").asText()).isEqualTo("echo: hello there");
        assertThat(events.get(1).at("/result/final").asBoolean()).isFalse();
        assertThat(joinedChunks(events, "/result/artifact/parts/0/text")).isEqualTo("echo: hello there");
    }

    @Test
    void sendStreamingMessageSendsWrappedEventsEndingWithACompletedStatusUpdate() throws Exception {
        HttpResponse<String> response = client.post(sendRequest(3, "SendStreamingMessage", "hi", false));

        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> events = AgentClient.events(response.body());
        assertThat(events).hasSizeGreaterThanOrEqualTo(4);
        assertThat(events.getFirst().at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_SUBMITTED");
        JsonNode last = events.getLast().at("/result/statusUpdate");
        assertThat(last.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(last.at("/status/message/role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(last.has("final")).isFalse();
        assertThat(joinedChunks(events, "/result/artifactUpdate/artifact/parts/0/text"))
                .isEqualTo("echo: hi");
    }

    @Test
    void getTaskReturnsTheCompletedTaskAStreamCreatedInEitherVersion() throws Exception {
        List<JsonNode> events = AgentClient.events(client.post(sendRequest(4, "SendStreamingMessage", "keep me", false))
                .body());
        String taskId = events.getFirst().at("/result/task/id").asText();

        JsonNode current = client.call(taskQuery("GetTask", taskId));
        JsonNode legacy = client.call(taskQuery("tasks/get", taskId));

        assertThat(current.at("/result/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(current.at("/result/artifacts/0/parts/0/text").asText()).isEqualTo("echo: keep me");
        assertThat(legacy.at("/result/kind").asText()).isEqualTo("task");
        assertThat(legacy.at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(legacy.at("/result/history")).hasSize(2);
    }

    @Test
    void getTaskForAnUnknownTaskAnswersTaskNotFound() throws Exception {
        JsonNode response = client.call(taskQuery("GetTask", "no-such-task"));

        assertThat(response.at("/error/code").asInt()).isEqualTo(-32001);
    }

    @Test
    void anUnknownMethodAnswersMethodNotFoundWithHttp200() throws Exception {
        ObjectNode request = sendRequest(5, "tasks/teleport", "x", true);

        HttpResponse<String> response = client.post(request);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = AgentClient.JSON.readTree(response.body());
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(body.get("id").asInt()).isEqualTo(5);
    }

    @Test
    void malformedJsonAnswersParseErrorWithANullId() throws Exception {
        HttpResponse<String> response = client.post("/", "{\"jsonrpc\":\"2.0\",\"id\":1,");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = AgentClient.JSON.readTree(response.body());
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(body.get("id").isNull()).isTrue();
    }

    @Test
    void aRequestWithoutJsonrpcVersionAnswersInvalidRequest() throws Exception {
        JsonNode body = AgentClient.JSON.readTree(
                client.post("/", "{\"id\":9,\"method\":\"SendMessage\"}").body());

        assertThat(body.at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(body.get("id").asInt()).isEqualTo(9);
    }

    @Test
    void aSendWithoutAMessageAnswersInvalidParams() throws Exception {
        ObjectNode request = sendRequest(6, "message/send", "x", true);
        request.putObject("params");

        JsonNode body = client.call(request);

        assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void theA2aPathServesTheSameEndpoint() throws Exception {
        String request = AgentClient.JSON.writeValueAsString(sendRequest(8, "SendMessage", "via a2a", false));

        JsonNode body = AgentClient.JSON.readTree(client.post("/a2a", request).body());

        assertThat(body.at("/result/message/parts/0/text").asText()).isEqualTo("echo: via a2a");
    }

    @Test
    void getOnTheRpcEndpointIsNotAllowed() throws Exception {
        assertThat(client.get("/").statusCode()).isEqualTo(405);
        assertThat(client.get("/nowhere").statusCode()).isEqualTo(404);
    }

    private static ObjectNode taskQuery(String method, String taskId) {
        ObjectNode request = AgentClient.JSON
                .createObjectNode()
                .put("jsonrpc", "2.0")
                .put("id", 10)
                .put("method", method);
        request.putObject("params").put("id", taskId);
        return request;
    }

    private static String joinedChunks(List<JsonNode> events, String pointer) {
        StringBuilder text = new StringBuilder();
        events.stream().map(e -> e.at(pointer)).filter(JsonNode::isTextual).forEach(t -> text.append(t.asText()));
        return text.toString();
    }
}
