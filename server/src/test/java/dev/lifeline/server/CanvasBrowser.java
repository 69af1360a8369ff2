package dev.lifeline.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Molecule canvas's {@code fetch} as a browser runs it from a page on {@link #ORIGIN}: JSON with
 * {@code Authorization: Bearer <admin token>} and credentials, so every call is preceded by a
 * preflight. Like the browser, it hands an answer over only when the CORS headers let the page read
 * it; otherwise the call fails as the canvas's "Failed to fetch" does.
 */
final class CanvasBrowser {
    static final String ORIGIN = "http://localhost:3000";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    CanvasBrowser(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    ApiClient.Reply get(String path) {
        return fetch("GET", path, null);
    }

    ApiClient.Reply post(String path, Object body) {
        return fetch("POST", path, body);
    }

    ApiClient.Reply patch(String path, Object body) {
        return fetch("PATCH", path, body);
    }

    ApiClient.Reply put(String path, Object body) {
        return fetch("PUT", path, body);
    }

    ApiClient.Reply delete(String path) {
        return fetch("DELETE", path, null);
    }

    private ApiClient.Reply fetch(String method, String path, @Nullable Object body) {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type"));
        if (preflight.statusCode() / 100 != 2
                || !readable(preflight)
                || !listed(preflight, "Access-Control-Allow-Methods", method)
                || !listed(preflight, "Access-Control-Allow-Headers", "Authorization")
                || !listed(preflight, "Access-Control-Allow-Headers", "Content-Type")) {
            throw new AssertionError(
                    "Failed to fetch: the preflight of " + method + " " + path + " refused the canvas: "
                            + preflight.statusCode() + " " + preflight.headers().map());
        }
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
        if (!readable(answer)) {
            throw new AssertionError(
                    "Failed to fetch: the answer to " + method + " " + path + " is not readable from " + ORIGIN + ": "
                            + answer.statusCode() + " " + answer.headers().map());
        }
        return new ApiClient.Reply(answer.statusCode(), answer.headers().map(), answer.body());
    }

    /** A credentialed answer is readable when it names the page's exact origin and allows credentials. */
    private static boolean readable(HttpResponse<String> r) {
        return r.headers().allValues("Access-Control-Allow-Origin").equals(List.of(ORIGIN))
                && r.headers()
                        .firstValue("Access-Control-Allow-Credentials")
                        .orElse("")
                        .equals("true");
    }

    private static boolean listed(HttpResponse<String> r, String header, String value) {
        return r.headers().allValues(header).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .anyMatch(v -> v.equals(value.toLowerCase(Locale.ROOT)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
