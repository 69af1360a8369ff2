package dev.lifeline.backend.controlplane;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP call to the control plane with a whole-call deadline (headers and body) and a bounded
 * body. Failures to get an answer are {@link Unanswered}, whose message names the call and the kind
 * of failure, never anything the control plane sent.
 */
final class Exchange {
    static final int BODY_LIMIT = 64 * 1024;
    static final int CONSOLE_LIMIT = 256 * 1024;

    private final HttpClient http;

    Exchange(HttpClient http) {
        this.http = http;
    }

    /** An answer: its status and at most the body limit of its body. */
    record Answer(int status, BoundedBody.Bytes body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The control plane gave no answer: unreachable, reset, or too slow. */
    static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;

        Unanswered(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String getMessage() {
            return java.util.Objects.requireNonNull(super.getMessage());
        }
    }

    Answer call(
            String what, String method, URI uri, Map<String, String> headers, String json, Duration timeout, int limit)
            throws Unanswered {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        headers.forEach(request::header);
        if (json.isEmpty()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        CompletableFuture<HttpResponse<BoundedBody.Bytes>> pending =
                http.sendAsync(request.build(), BoundedBody.upTo(limit));
        try {
            HttpResponse<BoundedBody.Bytes> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Unanswered(what + ": no complete answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unanswered(what + ": cannot reach the control plane (" + kind(cause) + ")", cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Unanswered(what + ": interrupted", e);
        }
    }

    /** The exception's class, e.g. {@code ConnectException}; its message may quote a server. */
    private static String kind(Throwable t) {
        return t.getClass().getSimpleName();
    }
}
