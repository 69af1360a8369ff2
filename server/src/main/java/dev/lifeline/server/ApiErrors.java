package dev.lifeline.server;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.IllegalTransitionException;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.TooLargeException;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceNotInStateException;
import dev.lifeline.proxy.ProxyConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EofException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exceptions to HTTP answers. Every error is JSON with {@code error} (what was
 * wrong) and, where useful, {@code hint} (what to do). Messages of unexpected exceptions are logged,
 * never sent.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private static final String LIST_HINT = "list workspaces with GET /workspaces";
    private static final String API_HINT = "see the API table in README.md";
    private static final Answer STALLED = new Answer(
            408,
            "the request stalled: nothing arrived for too long",
            "send the headers and the whole body without pausing");
    private static final Answer TOO_LARGE = new Answer(
            413, "request body too large", "send at most " + ProxyConfig.DEFAULTS.maxRequestBytes() + " bytes");

    /** A preflight from a browser origin that is not in {@link CorsOrigins}. */
    static final Answer ORIGIN_NOT_ALLOWED = new Answer(
            403, "this origin may not call Lifeline from a browser", "add the origin to LIFELINE_CORS_ORIGINS");

    private ApiErrors() {}

    /** What a failed request is answered: the status and the JSON body's two fields. */
    record Answer(int status, String error, @Nullable String hint) {
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            if (hint != null) {
                body.put("hint", hint);
            }
            return body;
        }
    }

    static void install(JavalinConfig config) {
        config.routes.exception(
                Exception.class, (e, ctx) -> send(ctx, answer(e, ctx.method().name(), ctx.path())));
        // Javalin answers its own exceptions itself unless their class has a handler of its own
        config.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> send(ctx, answer(e, ctx.method().name(), ctx.path())));
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                send(ctx, new Answer(404, "no such endpoint: " + ctx.method() + " " + ctx.path(), API_HINT));
            }
        });
        // Javalin answers a stalled body itself, with the status only, before any exception handler
        config.routes.error(408, ctx -> send(ctx, STALLED));
        config.routes.error(405, ctx -> {
            if (ctx.result() == null) {
                send(ctx, new Answer(405, "method not allowed: " + ctx.method() + " " + ctx.path(), null));
            }
        });
    }

    /** The answer to {@code e}, thrown while serving {@code method path}; unexpected ones are logged. */
    static Answer answer(Exception e, String method, String path) {
        return switch (e) {
            case InvalidRequestException x -> new Answer(400, x.getMessage(), x.hint());
            case TooLargeException x -> new Answer(413, x.getMessage(), x.hint());
            case WorkspaceNotFoundException x -> new Answer(404, "workspace not found", LIST_HINT);
            case WorkspaceNotInStateException x -> new Answer(404, x.getMessage(), LIST_HINT);
            case UnauthorizedException x -> new Answer(x.forbidden() ? 403 : 401, x.getMessage(), null);
            case ConflictException x -> new Answer(409, x.getMessage(), null);
            case IllegalTransitionException x -> new Answer(409, x.getMessage(), null);
            case BackendException x -> {
                log.error("backend failure on {} {}", method, path, x);
                yield new Answer(502, "backend '" + x.backend() + "' failed", "see the server log; retry later");
            }
            case StoreException x -> {
                log.error("datastore failure on {} {}", method, path, x);
                yield new Answer(503, "datastore unavailable — retry shortly", null);
            }
            case HttpResponseException x -> edgeAnswer(x, method, path);
            default -> {
                if (causedBy(e, TimeoutException.class)) {
                    log.debug("request body stalled during {} {}: {}", method, path, e.toString());
                    yield STALLED;
                }
                if (causedBy(e, EofException.class)) {
                    log.debug("client went away during {} {}: {}", method, path, e.toString());
                    yield new Answer(400, "the request ended before its body was complete", "send the whole body");
                }
                log.error("unexpected failure on {} {}", method, path, e);
                yield new Answer(500, "internal error", "see the server log");
            }
        };
    }

    static void send(Context ctx, Answer answer) {
        ctx.status(answer.status()).contentType("application/json").result(Json.write(answer.body()));
    }

    /**
     * Runs {@code check} before a WebSocket upgrade. A failed check is answered here, because Javalin
     * writes no result for a refused upgrade, and the upgrade is skipped.
     */
    static void beforeUpgrade(Context ctx, Handler check) throws IOException {
        try {
            check.handle(ctx);
        } catch (Exception e) {
            Answer answer = answer(e, ctx.method().name(), ctx.path());
            ctx.res().setStatus(answer.status());
            ctx.res().setContentType("application/json");
            ctx.res().getOutputStream().write(Json.write(answer.body()).getBytes(StandardCharsets.UTF_8));
            ctx.skipRemainingHandlers();
        }
    }

    /**
     * The answer to a request the HTTP stack refused before any route saw it (malformed, too large,
     * too slow); none of them echoes the request.
     */
    static Answer stackAnswer(int status) {
        return switch (status) {
            case 400 -> new Answer(400, "malformed HTTP request", "send a valid HTTP/1.1 request");
            case 404 -> new Answer(404, "no such endpoint", API_HINT);
            case 408 -> STALLED;
            case 413 -> TOO_LARGE;
            case 414 -> new Answer(414, "request URI too long", "keep the URI under 8 KiB");
            case 431 -> new Answer(431, "request headers too large", "keep the request headers under 8 KiB");
            case 505 -> new Answer(505, "HTTP version not supported", "use HTTP/1.1");
            default ->
                status >= 500
                        ? new Answer(status, "internal error", "see the server log")
                        : new Answer(status, "request failed", null);
        };
    }

    /**
     * Whether {@code e} or one of its causes is a {@code type}. A body that stalls ends in a timeout,
     * one cut short by the client (a process killed mid-request) in an EOF: neither is a server fault.
     */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Javalin's own refusals: no such route, wrong method, a body over the size limit. */
    private static Answer edgeAnswer(HttpResponseException e, String method, String path) {
        return switch (e.getStatus()) {
            case 404 -> new Answer(404, "no such endpoint: " + method + " " + path, API_HINT);
            case 405 -> new Answer(405, "method not allowed: " + method + " " + path, API_HINT);
            case 413 -> TOO_LARGE;
            case 400 -> new Answer(400, "bad request", null);
            default -> new Answer(e.getStatus(), "request failed", null);
        };
    }
}
