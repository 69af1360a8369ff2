package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A plain HTTP client speaking JSON-RPC to an agent under test. */
final class AgentClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI base;

    AgentClient(URI base) {
        this.base = base;
    }

    /** A JSON-RPC request whose params carry one user message with one text part. */
    static ObjectNode sendRequest(Object id, String method, String text, boolean legacy) {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        request.set("id", JSON.valueToTree(id));
        ObjectNode message = request.putObject("params").putObject("message");
        message.put("messageId", "m-1").put("role", legacy ? "user" : "ROLE_USER");
        ObjectNode part = message.putArray("parts").addObject();
        if (legacy) {
            message.put("kind", "message");
            part.put("kind", "text");
        }
        part.put("text", text);
        return request;
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(JsonNode body) throws IOException, InterruptedException {
        return post("/", JSON.writeValueAsString(body));
    }

    /** Posts {@code body} to the JSON-RPC endpoint with these headers (and no others but the client's own). */
    HttpResponse<String> post(JsonNode body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, Map.of());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a streaming request and returns as soon as the headers arrive; events are read as they come. */
    EventStream open(JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        return new EventStream(response.body());
    }

    /** The {@code data:} events of an SSE answer, parsed one at a time as they arrive; close it when done. */
    static final class EventStream implements AutoCloseable {
        private final Stream<String> body;
        private final Iterator<String> lines;

        private EventStream(Stream<String> body) {
            this.body = body;
            this.lines = body.iterator();
        }

        @Override
        public void close() {
            body.close();
        }

        /** The next event, waiting for it. */
        JsonNode next() throws IOException {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ")) {
                    return JSON.readTree(line.substring("data: ".length()));
                }
            }
            throw new IOException("the stream ended");
        }

        /** Every event until the stream ends. */
        List<JsonNode> rest() throws IOException {
            List<JsonNode> events = new ArrayList<>();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring("data: ".length())));
                }
            }
            return events;
        }
    }

    /** Posts and parses the JSON answer. */
    JsonNode call(JsonNode body) throws IOException, InterruptedException {
        return JSON.readTree(post(body).body());
    }

    /** The {@code data:} payloads of an SSE body, parsed, in order. */
    static List<JsonNode> events(String sseBody) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String block : sseBody.split("\n\n")) {
            if (block.startsWith("data: ")) {
                events.add(JSON.readTree(block.substring("data: ".length())));
            }
        }
        return events;
    }

    @Override
    public void close() {
        http.close();
    }
}
