package dev.lifeline.server;

import dev.lifeline.core.BackendException;
import dev.lifeline.core.ConflictException;
import dev.lifeline.core.IllegalTransitionException;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.StoreException;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceNotFoundException;
import dev.lifeline.core.WorkspaceNotInStateException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exceptions to HTTP answers. Every error is JSON with {@code error} (what was
 * wrong) and, where useful, {@code hint} (what to do). Messages of unexpected exceptions are logged,
 * never sent.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    static void install(JavalinConfig config) {
        config.routes.exception(InvalidRequestException.class, (e, ctx) -> send(ctx, 400, e.getMessage(), e.hint()));
        config.routes.exception(
                WorkspaceNotFoundException.class,
                (e, ctx) -> send(ctx, 404, "workspace not found", "list workspaces with GET /workspaces"));
        config.routes.exception(
                WorkspaceNotInStateException.class,
                (e, ctx) -> send(ctx, 404, e.getMessage(), "list workspaces with GET /workspaces"));
        config.routes.exception(
                UnauthorizedException.class, (e, ctx) -> send(ctx, e.forbidden() ? 403 : 401, e.getMessage(), null));
        config.routes.exception(ConflictException.class, (e, ctx) -> send(ctx, 409, e.getMessage(), null));
        config.routes.exception(IllegalTransitionException.class, (e, ctx) -> send(ctx, 409, e.getMessage(), null));
        config.routes.exception(BackendException.class, (e, ctx) -> {
            log.error("backend failure on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 502, "backend '" + e.backend() + "' failed", "see the server log; retry later");
        });
        config.routes.exception(StoreException.class, (e, ctx) -> {
            log.error("datastore failure on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 503, "datastore unavailable — retry shortly", null);
        });
        config.routes.exception(
                HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(), edgeMessage(e), null));
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (clientWentAway(e)) {
                log.debug("client went away during {} {}: {}", ctx.method(), ctx.path(), e.toString());
                send(ctx, 400, "the request ended before its body was complete", "send the whole body");
                return;
            }
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 500, "internal error", "see the server log");
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                send(
                        ctx,
                        404,
                        "no such endpoint: " + ctx.method() + " " + ctx.path(),
                        "see the API table in README.md");
            }
        });
        config.routes.error(405, ctx -> {
            if (ctx.result() == null) {
                send(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path(), null);
            }
        });
    }

    static void send(Context ctx, int status, String error, @org.jspecify.annotations.Nullable String hint) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (hint != null) {
            body.put("hint", hint);
        }
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** A body cut short by the client (a process killed mid-request) is not a server fault. */
    private static boolean clientWentAway(Throwable e) {
        for (@org.jspecify.annotations.Nullable Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    private static String edgeMessage(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> "request body too large";
            case 400 -> "bad request";
            default -> "request failed";
        };
    }
}
