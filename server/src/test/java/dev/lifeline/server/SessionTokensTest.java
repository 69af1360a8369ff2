package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The dashboard's session cookie values: signed, expiring, and useless under any other key. */
class SessionTokensTest {
    private static final Duration LIFETIME = Duration.ofHours(12);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private final FakeClock clock = FakeClock.atSomeInstant();
    private final SessionTokens tokens = new SessionTokens(key("admin"), clock, LIFETIME);

    private static byte[] key(String adminToken) {
        return SessionTokens.serverKey(SECRET, adminToken);
    }

    @Test
    void aFreshValueIsValidUntilItsLifetimeHasPassed() {
        Instant issuedAt = clock.instant();
        String value = tokens.issue();

        assertThat(tokens.validUntil(value)).contains(issuedAt.plus(LIFETIME));
        clock.advance(LIFETIME.minusSeconds(1));
        assertThat(tokens.validUntil(value)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.validUntil(value)).isEmpty();
    }

    @Test
    void aLaterExpiryWrittenIntoTheValueBreaksItsSignature() {
        String value = tokens.issue();
        String[] parts = value.split("\\.");
        parts[1] = String.valueOf(Long.parseLong(parts[1]) + 86_400);

        assertThat(tokens.validUntil(String.join(".", parts))).isEmpty();
    }

    @Test
    void anyChangedCharacterOfTheSignatureIsRefused() {
        String value = tokens.issue();
        char last = value.charAt(value.length() - 1);
        // the neighbour in the base64url alphabet differs only in a bit the last character does not use
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String tampered = value.substring(0, value.length() - 1) + sameBytes;

        assertThat(tokens.validUntil(tampered)).isEmpty();
    }

    @Test
    void aValueSignedWithAnotherKeyIsRefused() {
        SessionTokens otherServer = new SessionTokens(
                SessionTokens.serverKey("another-secret-of-32-bytes......".getBytes(StandardCharsets.UTF_8), "admin"),
                clock,
                LIFETIME);

        assertThat(tokens.validUntil(otherServer.issue())).isEmpty();
    }

    @Test
    void changingTheAdminTokenEndsEverySession() {
        String value = tokens.issue();
        SessionTokens afterRotation = new SessionTokens(key("rotated admin token"), clock, LIFETIME);

        assertThat(afterRotation.validUntil(value)).isEmpty();
    }

    @Test
    void malformedValuesAreRefusedWithoutAnError() {
        for (String value :
                new String[] {"", "v1", "v1.x.y.z", "v2.1.AAAA.AAAA", "v1.99999999999.nonce.%%%", "v1.1.2.3.4", "."}) {
            assertThat(tokens.validUntil(value)).as(value).isEmpty();
        }
        assertThat(tokens.validUntil(null)).isEmpty();
    }

    @Test
    void twoValuesIssuedAtTheSameInstantDiffer() {
        assertThat(tokens.issue()).isNotEqualTo(tokens.issue());
    }

    @Test
    void aKeyShorterThanTheHashIsRefused() {
        assertThatThrownBy(() -> new SessionTokens(Arrays.copyOf(SECRET, 16), clock, LIFETIME))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
