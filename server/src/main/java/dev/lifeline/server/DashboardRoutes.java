package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.UnauthorizedException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's page, assets and session. Their auth, route by route:
 *
 * <ul>
 *   <li>{@code GET /}, {@code GET /ui/*}, {@code GET /webjars/*}: public; they hold no data, every
 *       datum the page shows comes from the authenticated API.
 *   <li>{@code POST /session}: public; checks the admin token it is sent and sets the cookie.
 *   <li>{@code GET /session}: public; says only whether the caller's own cookie is valid.
 *   <li>{@code DELETE /session}: public; clears the caller's own cookie, which grants nothing.
 * </ul>
 */
final class DashboardRoutes {
    /** Only this server's own scripts, styles and connections; never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final String ASSETS = "/dashboard";
    private final Auth auth;
    private final BrowserSessions sessions;
    private final byte[] page;
    private final DashboardAssets assets = new DashboardAssets(ASSETS);

    DashboardRoutes(Auth auth, BrowserSessions sessions) {
        this.auth = auth;
        this.sessions = sessions;
        this.page = resource(ASSETS + "/index.html");
    }

    void install(JavalinConfig config) {
        config.routes.get("/ui/{file}", assets::own);
        config.routes.get("/webjars/<path>", assets::library);
        config.routes.get("/", this::page);
        config.routes.get("/session", this::status);
        config.routes.post("/session", this::signIn);
        config.routes.delete("/session", this::signOut);
    }

    private void page(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .contentType("text/html; charset=utf-8")
                .result(page);
    }

    /** Whether the caller's cookie signs it in; 200 either way, so the page can ask without an error. */
    private void status(Context ctx) {
        json(ctx, session(sessions.validUntil(ctx::header)));
    }

    /** {@code {"token": "<admin token>"}}: sets the session cookie, or 401 without setting anything. */
    private void signIn(Context ctx) {
        JsonNode token = Json.object(ctx.bodyAsBytes(), "send {\"token\": \"<admin token>\"}")
                .path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            throw new InvalidRequestException("the admin token is missing", "send {\"token\": \"<admin token>\"}");
        }
        if (!auth.isAdmin(token.asText())) {
            throw UnauthorizedException.missing("invalid admin token");
        }
        BrowserSessions.SignIn session = sessions.signIn(secure(ctx));
        ctx.header("Set-Cookie", session.setCookie()).header("Cache-Control", "no-store");
        json(ctx, session(Optional.of(session.expiresAt())));
    }

    /** Clears the caller's own cookie; needs no proof, as it grants nothing. */
    private void signOut(Context ctx) {
        ctx.header("Set-Cookie", BrowserSessions.signOut(secure(ctx))).status(204);
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    private static Map<String, Object> session(Optional<Instant> until) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("signed_in", until.isPresent());
        until.ifPresent(t -> body.put("expires_at", t.toString()));
        return body;
    }

    /** HTTPS directly or behind a proxy that says so; the cookie is then {@code Secure}. */
    private static boolean secure(Context ctx) {
        return "https".equals(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static byte[] resource(String path) {
        return DashboardAssets.bytes(path).orElseThrow(() -> new IllegalStateException("the jar lacks " + path));
    }
}
