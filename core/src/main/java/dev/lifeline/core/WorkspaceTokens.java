package dev.lifeline.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Workspace bearer tokens: 32 random bytes, base64url without padding (43 characters). Only the
 * SHA-256 of a token is ever stored.
 */
public final class WorkspaceTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private WorkspaceTokens() {}

    public static String mint() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /** The first 8 characters, stored to help an operator tell tokens apart. */
    public static String prefix(String token) {
        return token.substring(0, Math.min(8, token.length()));
    }
}
