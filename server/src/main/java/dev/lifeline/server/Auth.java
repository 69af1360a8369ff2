package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.core.WorkspaceTokens;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the operator's admin token and agents' workspace tokens. */
final class Auth {
    private final byte[] adminToken;
    private final WorkspaceStore store;

    Auth(String adminToken, WorkspaceStore store) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.store = store;
    }

    /** Requires {@code Authorization: Bearer <admin token>} (or {@code ?token=} for browsers' streams). */
    void requireAdmin(Context ctx) {
        Optional<String> token = bearer(ctx).or(() -> Optional.ofNullable(ctx.queryParam("token")));
        if (token.isEmpty()) {
            throw UnauthorizedException.missing("admin auth required: send Authorization: Bearer <admin token>");
        }
        if (!isAdmin(token.get())) {
            throw UnauthorizedException.missing("invalid admin auth token");
        }
    }

    boolean isAdmin(String token) {
        return MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8));
    }

    /** The grant of the workspace token in the Authorization header; 401 when missing or unknown. */
    TokenGrant requireWorkspaceToken(Context ctx) {
        String token = bearer(ctx).orElseThrow(() -> UnauthorizedException.missing("missing workspace auth token"));
        return store.findToken(WorkspaceTokens.hash(token))
                .orElseThrow(() -> UnauthorizedException.missing("invalid workspace auth token"));
    }

    static Optional<String> bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String token = header.substring("Bearer ".length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
