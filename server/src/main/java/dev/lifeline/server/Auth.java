package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Checks the operator's admin token and agents' workspace tokens. Each check reads the raw header
 * values, so the Javalin routes and the A2A endpoint in front of Javalin share them.
 */
final class Auth {
    private final byte[] adminToken;
    private final TokenGrants grants;
    private final BrowserSessions sessions;

    Auth(String adminToken, TokenGrants grants, BrowserSessions sessions) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.grants = grants;
        this.sessions = sessions;
    }

    /**
     * Requires {@code Authorization: Bearer <admin token>} or the dashboard's session cookie (see
     * {@link BrowserSessions}); a token in the URL does not count here.
     */
    void requireAdmin(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null && ctx.queryParam("token") != null) {
            throw UnauthorizedException.missing(
                    "admin auth required: send Authorization: Bearer <admin token> (?token= is accepted on the event"
                            + " streams only)");
        }
        if (signedIn(ctx.method().name(), ctx::header)) {
            return;
        }
        requireAdmin(authorization);
    }

    /**
     * Requires the admin token on the two event streams ({@code GET /ws} and the SSE stream of a
     * workspace), the only routes where it may also come as {@code ?token=}, because browsers cannot set
     * headers on them.
     */
    void requireAdminOnEventStream(Context ctx) {
        requireAdminOnEventStream(ctx.method().name(), ctx::header, ctx.queryParam("token"));
    }

    /** The same, from a request's method, its headers and its {@code ?token=}. */
    void requireAdminOnEventStream(
            String method, Function<String, @Nullable String> header, @Nullable String queryToken) {
        if (queryToken == null && signedIn(method, header)) {
            return;
        }
        checkAdmin(bearer(header.apply("Authorization")).or(() -> Optional.ofNullable(queryToken)));
    }

    /** @param authorization the {@code Authorization} header, if sent */
    void requireAdmin(@Nullable String authorization) {
        checkAdmin(bearer(authorization));
    }

    private void checkAdmin(Optional<String> token) {
        if (token.isEmpty()) {
            throw UnauthorizedException.missing("admin auth required: send Authorization: Bearer <admin token>");
        }
        if (!isAdmin(token.get())) {
            throw UnauthorizedException.missing("invalid admin auth token");
        }
    }

    /**
     * Whether a browser signed in to the dashboard sent the request: no {@code Authorization} header
     * and a session cookie that {@link BrowserSessions} admits. A token sent explicitly (the header, or
     * {@code ?token=}, checked by the caller) always decides instead: a page of another origin on the
     * same host, such as the canvas, sends this cookie along with its own token.
     */
    boolean signedIn(String method, Function<String, @Nullable String> header) {
        return header.apply("Authorization") == null && sessions.admits(method, header);
    }

    boolean isAdmin(String token) {
        return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    }

    /** The grant of the workspace token in the Authorization header; 401 when missing or unknown. */
    TokenGrant requireWorkspaceToken(Context ctx) {
        return requireWorkspaceToken(ctx.header("Authorization"));
    }

    TokenGrant requireWorkspaceToken(@Nullable String authorization) {
        return grantOf(
                bearer(authorization).orElseThrow(() -> UnauthorizedException.missing("missing workspace auth token")));
    }

    /** The grant of a workspace token; 401 when unknown. */
    TokenGrant grantOf(String token) {
        return grants.find(token).orElseThrow(() -> UnauthorizedException.missing("invalid workspace auth token"));
    }

    /** The grant of a workspace token if it is held in memory; never asks the database. */
    Optional<TokenGrant> knownGrant(String token) {
        return grants.known(token);
    }

    /** The token of an {@code Authorization: Bearer <token>} header. */
    static Optional<String> bearer(@Nullable String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String token = header.substring("Bearer ".length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
