package dev.lifeline.agent;

import static dev.lifeline.agent.AgentClient.sendRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The A2A 1.0 JSON-RPC methods and errors beyond sending a message (A2A 1.0 §3, §5.4, §9). */
class A2aConformanceTest extends AgainstARunningAgent {

    private static final Map<String, String> V1 = Map.of("Content-Type", "application/json", "A2A-Version", "1.0");

    @Test
    void getTaskWithHistoryLengthReturnsAtMostThatManyOfTheLatestMessagesAndZeroOmitsTheHistory() throws Exception {
        String taskId = completedTask("remember me");

        JsonNode all = call("GetTask", params().put("id", taskId));
        JsonNode one = call("GetTask", params().put("id", taskId).put("historyLength", 1));
        JsonNode none = call("GetTask", params().put("id", taskId).put("historyLength", 0));

        assertThat(all.at("/result/history")).hasSize(2);
        assertThat(one.at("/result/history")).hasSize(1);
        assertThat(one.at("/result/history/0/role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(none.get("result").has("history")).isFalse();
        assertThat(none.at("/result/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    }

    @Test
    void getTaskWithANegativeHistoryLengthIsInvalidParamsNamingTheField() throws Exception {
        JsonNode response = call("GetTask", params().put("id", "any").put("historyLength", -1));

        assertBadRequest(response, "historyLength");
    }

    @Test
    void listTasksReturnsAContextsTasksNewestFirstInPagesEndingWithAnEmptyToken() throws Exception {
        String context = UUID.randomUUID().toString();
        String first = completedTask("one", context);
        String second = completedTask("two", context);
        String third = completedTask("three", context);

        JsonNode page1 = call("ListTasks", params().put("contextId", context).put("pageSize", 2));
        String token = page1.at("/result/nextPageToken").asText();
        JsonNode page2 = call(
                "ListTasks",
                params().put("contextId", context).put("pageSize", 2).put("pageToken", token));

        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(token).isNotEmpty();
        assertThat(page1.at("/result/totalSize").asInt()).isEqualTo(3);
        assertThat(page1.at("/result/pageSize").asInt()).isEqualTo(2);
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.at("/result/nextPageToken").asText()).isEmpty();
    }

    @Test
    void listTasksOmitsArtifactsUnlessAskedAndFiltersByState() throws Exception {
        String context = UUID.randomUUID().toString();
        completedTask("with an artifact", context);

        JsonNode plain = call("ListTasks", params().put("contextId", context));
        JsonNode full = call("ListTasks", params().put("contextId", context).put("includeArtifacts", true));
        JsonNode working = call("ListTasks", params().put("contextId", context).put("status", "TASK_STATE_WORKING"));

        assertThat(plain.at("/result/tasks/0").has("artifacts")).isFalse();
        assertThat(full.at("/result/tasks/0/artifacts/0/parts/0/text").asText()).isEqualTo("echo: with an artifact");
        assertThat(working.at("/result/tasks")).isEmpty();
        assertThat(working.at("/result/totalSize").asInt()).isZero();
    }

    @Test
    void listTasksRefusesAPageSizeOver100AnUnknownStateAndAForgedToken() throws Exception {
        assertBadRequest(call("ListTasks", params().put("pageSize", 150)), "pageSize");
        assertBadRequest(call("ListTasks", params().put("status", "TASK_STATE_RUNNING")), "status");
        assertBadRequest(call("ListTasks", params().put("pageToken", "not-a-token")), "pageToken");
    }

    @Test
    void cancelTaskCancelsARunningTaskAndEndsItsStreamWithTheCanceledStatus() throws Exception {
        try (AgentClient.EventStream stream =
                client.open(sendRequest(1, "SendStreamingMessage", "!stream-gaps 2 30", false))) {
            String taskId = stream.next().at("/result/task/id").asText();

            JsonNode canceled = call("CancelTask", params().put("id", taskId));

            assertThat(canceled.at("/result/id").asText()).isEqualTo(taskId);
            assertThat(canceled.at("/result/status/state").asText()).isEqualTo("TASK_STATE_CANCELED");
            List<JsonNode> rest = stream.rest();
            assertThat(rest.getLast().at("/result/statusUpdate/status/state").asText())
                    .isEqualTo("TASK_STATE_CANCELED");
            assertThat(call("GetTask", params().put("id", taskId))
                            .at("/result/status/state")
                            .asText())
                    .isEqualTo("TASK_STATE_CANCELED");
        }
    }

    @Test
    void cancelTaskOnAFinishedTaskIsTaskNotCancelableAndOnAnUnknownTaskTaskNotFound() throws Exception {
        String taskId = completedTask("done already");

        assertErrorInfo(call("CancelTask", params().put("id", taskId)), -32002, "TASK_NOT_CANCELABLE");
        assertErrorInfo(call("CancelTask", params().put("id", "no-such-task")), -32001, "TASK_NOT_FOUND");
    }

    @Test
    void tasksCancelIsThe03SpellingOfCancelTask() throws Exception {
        try (AgentClient.EventStream stream =
                client.open(sendRequest(1, "message/stream", "!stream-gaps 2 30", true))) {
            String taskId = stream.next().at("/result/id").asText();

            JsonNode canceled = client.call(legacy("tasks/cancel", params().put("id", taskId)));

            assertThat(canceled.at("/result/kind").asText()).isEqualTo("task");
            assertThat(canceled.at("/result/status/state").asText()).isEqualTo("canceled");
            JsonNode last = stream.rest().getLast().get("result");
            assertThat(last.get("final").asBoolean()).isTrue();
            assertThat(last.at("/status/state").asText()).isEqualTo("canceled");
        }
    }

    @Test
    void subscribeToTaskStreamsTheTaskAsItIsThenItsEventsUntilItCompletes() throws Exception {
        try (AgentClient.EventStream started =
                client.open(sendRequest(1, "SendStreamingMessage", "!stream-gaps 3 1", false))) {
            String taskId = started.next().at("/result/task/id").asText();

            try (AgentClient.EventStream subscribed = client.open(rpc("SubscribeToTask", params().put("id", taskId)))) {
                JsonNode first = subscribed.next();
                List<JsonNode> rest = subscribed.rest();

                assertThat(first.at("/result/task/id").asText()).isEqualTo(taskId);
                assertThat(rest.getLast()
                                .at("/result/statusUpdate/status/state")
                                .asText())
                        .isEqualTo("TASK_STATE_COMPLETED");
                assertThat(rest.getLast()
                                .at("/result/statusUpdate/status/message/parts/0/text")
                                .asText())
                        .isEqualTo("echo: !stream-gaps 3 1");
                assertThat(started.rest()
                                .getLast()
                                .at("/result/statusUpdate/status/state")
                                .asText())
                        .isEqualTo("TASK_STATE_COMPLETED");
            }
        }
    }

    @Test
    void subscribeToAFinishedTaskIsUnsupportedOperationAndToAnUnknownTaskTaskNotFound() throws Exception {
        String taskId = completedTask("finished");

        assertErrorInfo(call("SubscribeToTask", params().put("id", taskId)), -32004, "UNSUPPORTED_OPERATION");
        assertErrorInfo(call("SubscribeToTask", params().put("id", "no-such-task")), -32001, "TASK_NOT_FOUND");
        assertErrorInfo(
                client.call(legacy("tasks/resubscribe", params().put("id", "no-such-task"))), -32001, "TASK_NOT_FOUND");
    }

    @Test
    void everyPushNotificationConfigMethodAnswersPushNotificationNotSupportedInBothVersions() throws Exception {
        ObjectNode config = params().put("taskId", "any").put("id", "cfg").put("url", "https://example.com/hook");
        for (String method : List.of(
                "CreateTaskPushNotificationConfig",
                "GetTaskPushNotificationConfig",
                "ListTaskPushNotificationConfigs",
                "DeleteTaskPushNotificationConfig")) {
            assertErrorInfo(call(method, config.deepCopy()), -32003, "PUSH_NOTIFICATION_NOT_SUPPORTED");
        }
        for (String method : List.of(
                "tasks/pushNotificationConfig/set",
                "tasks/pushNotificationConfig/get",
                "tasks/pushNotificationConfig/list",
                "tasks/pushNotificationConfig/delete")) {
            assertErrorInfo(client.call(legacy(method, config.deepCopy())), -32003, "PUSH_NOTIFICATION_NOT_SUPPORTED");
        }
    }

    @Test
    void getExtendedAgentCardIsUnsupportedOperationAsTheCardDeclaresNone() throws Exception {
        assertErrorInfo(call("GetExtendedAgentCard", params()), -32004, "UNSUPPORTED_OPERATION");
    }

    @Test
    void anUnsupportedA2aVersionIsVersionNotSupportedNamingTheVersionsSpoken() throws Exception {
        JsonNode response = AgentClient.JSON.readTree(client.post(
                        sendRequest(7, "SendMessage", "hi", false),
                        Map.of("Content-Type", "application/json", "A2A-Version", "99.0"))
                .body());

        assertErrorInfo(response, -32009, "VERSION_NOT_SUPPORTED");
        assertThat(response.get("id").asInt()).isEqualTo(7);
        assertThat(response.at("/error/data/0/metadata/supportedVersions").asText())
                .isEqualTo("0.3, 1.0");
    }

    @Test
    void versionsThisAgentSpeaksAreAcceptedWithOrWithoutAPatchNumberAndNoneMeans03() throws Exception {
        for (String version : List.of("1.0", "1.0.2", "0.3", "0.3.0", "")) {
            JsonNode response = AgentClient.JSON.readTree(client.post(
                            sendRequest(1, "SendMessage", "hi", false),
                            Map.of("Content-Type", "application/json", "A2A-Version", version))
                    .body());

            assertThat(response.at("/result/message/parts/0/text").asText())
                    .as("A2A-Version '%s'", version)
                    .isEqualTo("echo: hi");
        }
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsContentTypeNotSupported() throws Exception {
        JsonNode response = AgentClient.JSON.readTree(client.post(
                        sendRequest(3, "SendMessage", "hi", false),
                        Map.of("Content-Type", "text/plain", "A2A-Version", "1.0"))
                .body());

        assertErrorInfo(response, -32005, "CONTENT_TYPE_NOT_SUPPORTED");
        assertThat(response.get("id").asInt()).isEqualTo(3);
    }

    @Test
    void theA2aMediaTypeAndACharsetAreJsonToo() throws Exception {
        for (String type : List.of("application/a2a+json", "application/json; charset=utf-8")) {
            JsonNode response = AgentClient.JSON.readTree(
                    client.post(sendRequest(1, "SendMessage", "hi", false), Map.of("Content-Type", type))
                            .body());

            assertThat(response.at("/result/message/parts/0/text").asText()).isEqualTo("echo: hi");
        }
    }

    @Test
    void aPartInAMediaTypeTheAgentDoesNotReadIsContentTypeNotSupported() throws Exception {
        ObjectNode request = sendRequest(1, "SendMessage", "hi", false);
        request.withObject("/params/message")
                .withArray("parts")
                .addObject()
                .put("raw", "dGNr")
                .put("mediaType", "application/x-unsupported");

        assertErrorInfo(call(request), -32005, "CONTENT_TYPE_NOT_SUPPORTED");
    }

    @Test
    void aMessageNamingAnUnknownTaskIsTaskNotFoundAndStartsNoTask() throws Exception {
        String unknown = "no-such-task-" + UUID.randomUUID();
        for (String method : List.of("SendMessage", "SendStreamingMessage")) {
            ObjectNode request = sendRequest(1, method, "hi", false);
            request.withObject("/params/message").put("taskId", unknown);

            JsonNode response = call(request);

            assertErrorInfo(response, -32001, "TASK_NOT_FOUND");
            assertThat(response.at("/error/data/0/metadata/taskId").asText()).isEqualTo(unknown);
        }
        assertErrorInfo(call("GetTask", params().put("id", unknown)), -32001, "TASK_NOT_FOUND");
    }

    @Test
    void aMessageToAFinishedTaskIsUnsupportedOperation() throws Exception {
        ObjectNode request = sendRequest(1, "SendMessage", "more", false);
        request.withObject("/params/message").put("taskId", completedTask("first"));

        assertErrorInfo(call(request), -32004, "UNSUPPORTED_OPERATION");
    }

    @Test
    void aMessageToARunningTaskIsAnsweredInThatTasksContextAndAMismatchedContextIsRefused() throws Exception {
        try (AgentClient.EventStream stream =
                client.open(sendRequest(1, "SendStreamingMessage", "!stream-gaps 2 30", false))) {
            JsonNode task = stream.next().at("/result/task");
            ObjectNode inTask = sendRequest(2, "SendMessage", "also this", false);
            inTask.withObject("/params/message").put("taskId", task.get("id").asText());
            ObjectNode mismatched = inTask.deepCopy();
            mismatched.withObject("/params/message").put("contextId", "another-context");

            JsonNode answer = call(inTask);
            JsonNode refused = call(mismatched);

            assertThat(answer.at("/result/message/taskId").asText())
                    .isEqualTo(task.get("id").asText());
            assertThat(answer.at("/result/message/contextId").asText())
                    .isEqualTo(task.get("contextId").asText());
            assertThat(answer.at("/result/message/parts/0/text").asText()).isEqualTo("echo: also this");
            assertBadRequest(refused, "message.contextId");
            call("CancelTask", params().put("id", task.get("id").asText()));
        }
    }

    @Test
    void aMessageWithoutAMessageIdIsInvalidParamsNamingTheField() throws Exception {
        ObjectNode request = sendRequest(1, "SendMessage", "hi", false);
        request.withObject("/params/message").remove("messageId");

        assertBadRequest(call(request), "message.messageId");
    }

    private static String completedTask(String text) throws Exception {
        return completedTask(text, UUID.randomUUID().toString());
    }

    /** Streams {@code text} to the end and returns the id of the completed task. */
    private static String completedTask(String text, String contextId) throws Exception {
        ObjectNode request = sendRequest(1, "SendStreamingMessage", text, false);
        request.withObject("/params/message").put("contextId", contextId);
        List<JsonNode> events = AgentClient.events(client.post(request).body());
        assertThat(events.getLast().at("/result/statusUpdate/status/state").asText())
                .isEqualTo("TASK_STATE_COMPLETED");
        return events.getFirst().at("/result/task/id").asText();
    }

    private static ObjectNode params() {
        return AgentClient.JSON.createObjectNode();
    }

    private static ObjectNode rpc(String method, ObjectNode params) {
        ObjectNode request = AgentClient.JSON
                .createObjectNode()
                .put("jsonrpc", "2.0")
                .put("id", 1)
                .put("method", method);
        request.set("params", params);
        return request;
    }

    private static ObjectNode legacy(String method, ObjectNode params) {
        return rpc(method, params);
    }

    private static JsonNode call(String method, ObjectNode params) throws Exception {
        return call(rpc(method, params));
    }

    private static JsonNode call(ObjectNode request) throws Exception {
        return AgentClient.JSON.readTree(client.post(request, V1).body());
    }

    private static List<String> ids(JsonNode listResponse) {
        return listResponse
                .at("/result/tasks")
                .valueStream()
                .map(t -> t.get("id").asText())
                .toList();
    }

    /** An A2A error (A2A 1.0 §9.5): its code, and a {@code google.rpc.ErrorInfo} with its reason. */
    static void assertErrorInfo(JsonNode response, int code, String reason) {
        assertThat(response.has("result")).as(response.toString()).isFalse();
        assertThat(response.at("/error/code").asInt()).as(response.toString()).isEqualTo(code);
        assertThat(response.at("/error/message").asText()).isNotBlank();
        JsonNode info = response.at("/error/data/0");
        assertThat(info.get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(info.get("reason").asText()).isEqualTo(reason);
        assertThat(info.get("domain").asText()).isEqualTo("a2a-protocol.org");
    }

    /** Invalid params with a {@code google.rpc.BadRequest} naming the field. */
    static void assertBadRequest(JsonNode response, String field) {
        assertThat(response.at("/error/code").asInt()).as(response.toString()).isEqualTo(-32602);
        JsonNode badRequest = response.at("/error/data/0");
        assertThat(badRequest.get("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.BadRequest");
        assertThat(badRequest.at("/fieldViolations/0/field").asText()).isEqualTo(field);
        assertThat(badRequest.at("/fieldViolations/0/description").asText()).isNotBlank();
    }
}
