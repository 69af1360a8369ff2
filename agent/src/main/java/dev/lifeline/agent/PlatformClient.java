package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls the platform's registry API ({@code /registry/register}, {@code /registry/heartbeat})
 * with the workspace token as a bearer token. The token never leaves this class except in the
 * {@code Authorization} header.
 */
final class PlatformClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String baseUrl;
    private final AtomicReference<String> token;
    private final Json json;

    PlatformClient(URI baseUrl, String token, Json json) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        String base = baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = new AtomicReference<>(token);
        this.json = json;
    }

    /** The platform's status code and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    Answer register(JsonNode body) throws IOException, InterruptedException {
        return post("/registry/register", body);
    }

    Answer heartbeat(JsonNode body) throws IOException, InterruptedException {
        return post("/registry/heartbeat", body);
    }

    /**
     * Uses the {@code auth_token} a registration answer carries, if any (the platform issues one
     * when the workspace had none).
     *
     * @return whether the answer carried a token
     */
    boolean adoptIssuedToken(Answer answer) {
        try {
            JsonNode issued =
                    json.read(answer.body().getBytes(StandardCharsets.UTF_8)).get("auth_token");
            if (issued != null && issued.isTextual() && !issued.textValue().isBlank()) {
                token.set(issued.textValue());
                return true;
            }
        } catch (IOException e) {
            // not JSON: nothing issued
        }
        return false;
    }

    private Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.write(body)));
        String bearer = token.get();
        if (!bearer.isEmpty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
