package dev.lifeline.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Issues and checks the values of the dashboard's session cookie: {@code v1.<expiry>.<nonce>.<mac>},
 * where the expiry is in epoch seconds and the mac is HMAC-SHA256 over everything before it. The value
 * carries all there is to know, so the server keeps no session store; a value is good until its expiry
 * or until the key changes.
 */
final class SessionTokens {
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int NONCE_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    SessionTokens(byte[] key, Clock clock, Duration lifetime) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a session key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /**
     * The signing key of a server: derived from the random secret kept in the data directory and the
     * admin token, so deleting the secret or changing the token ends every session.
     */
    static byte[] serverKey(byte[] secret, String adminToken) {
        return hmac(new SecretKeySpec(secret, ALGORITHM), "lifeline dashboard session\0" + adminToken);
    }

    Duration lifetime() {
        return lifetime;
    }

    /** A fresh value that is good for {@link #lifetime} from now. */
    String issue() {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        long expiry = clock.instant().plus(lifetime).getEpochSecond();
        String signed = VERSION + "." + expiry + "." + ENCODER.encodeToString(nonce);
        return signed + "." + ENCODER.encodeToString(hmac(key, signed));
    }

    /** The expiry of {@code value} when it was signed with this key and has not expired; else empty. */
    Optional<Instant> validUntil(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException malformed) {
            return Optional.empty();
        }
        String signed = value.substring(0, value.lastIndexOf('.'));
        // the signature's one spelling is compared, not its decoded bytes: a decoder also takes
        // spellings that differ only in the unused bits of the last character
        byte[] expected = ENCODER.encodeToString(hmac(key, signed)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(parts[3].getBytes(StandardCharsets.US_ASCII), expected)) {
            return Optional.empty();
        }
        Instant until = Instant.ofEpochSecond(expiry);
        return clock.instant().isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
