package dev.lifeline.server;

import dev.lifeline.core.UnauthorizedException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's session cookie on the wire, and which requests it may authenticate.
 *
 * <p>Cross-site request forgery is refused three ways. The cookie is {@code SameSite=Strict}, so
 * other sites' pages never send it. A request it authenticates that may change state (any method
 * but GET, HEAD and OPTIONS) must carry {@value #CSRF_HEADER}, which an HTML form cannot send and a
 * page of another origin cannot send without a CORS preflight. And every request it authenticates,
 * reads and WebSocket upgrades included, must come from the server's own origin whenever the browser
 * says where it comes from ({@code Origin}, {@code Sec-Fetch-Site}): pages on other ports of the same
 * host are the same site, so they carry the cookie, and an origin on the CORS allow-list could
 * otherwise read the whole API with it.
 */
final class BrowserSessions {
    static final String COOKIE = "lifeline_session";
    static final String CSRF_HEADER = "X-Lifeline-Dashboard";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final SessionTokens tokens;

    BrowserSessions(SessionTokens tokens) {
        this.tokens = tokens;
    }

    /** A {@code Set-Cookie} value and when the session it starts ends. */
    record SignIn(String setCookie, Instant expiresAt) {}

    /** Signs a browser in; {@code secure} when it came over HTTPS. */
    SignIn signIn(boolean secure) {
        String value = tokens.issue();
        return new SignIn(
                COOKIE + "=" + value + "; Max-Age=" + tokens.lifetime().toSeconds() + attributes(secure),
                tokens.validUntil(value).orElseThrow());
    }

    /** The {@code Set-Cookie} value that removes the session cookie. */
    static String signOut(boolean secure) {
        return COOKIE + "=; Max-Age=0" + attributes(secure);
    }

    private static String attributes(boolean secure) {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The expiry of the request's session cookie, when it carries a valid one. */
    Optional<Instant> validUntil(Function<String, @Nullable String> header) {
        return tokens.validUntil(cookie(header.apply("Cookie"), COOKIE));
    }

    /**
     * Whether the request is authenticated by a valid session cookie. A valid cookie on a request
     * that breaks the rules above is refused (403), not ignored, so the dashboard's bugs show.
     *
     * @param header the request's header values by name, null when absent
     */
    boolean admits(String method, Function<String, @Nullable String> header) {
        if (validUntil(header).isEmpty()) {
            return false;
        }
        boolean changesState = !SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
        if (changesState && header.apply(CSRF_HEADER) == null) {
            throw UnauthorizedException.forbidden(
                    "a request signed in by the dashboard's cookie must send the " + CSRF_HEADER + " header");
        }
        if (!sameOrigin(header.apply("Origin"), header.apply("Host"))
                || fromAnotherOrigin(header.apply("Sec-Fetch-Site"))) {
            throw UnauthorizedException.forbidden("the dashboard's cookie is only accepted from the dashboard's origin;"
                    + " other pages send Authorization: Bearer <admin token>");
        }
        return true;
    }

    /** {@code Sec-Fetch-Site} of a request a page of another origin made ({@code none} is the user's own navigation). */
    private static boolean fromAnotherOrigin(@Nullable String fetchSite) {
        return fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
    }

    /** An absent Origin passes (non-browser clients, same-origin GETs); a present one must name this host. */
    private static boolean sameOrigin(@Nullable String origin, @Nullable String host) {
        if (origin == null) {
            return true;
        }
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /** The value of cookie {@code name} in a {@code Cookie} request header. */
    static @Nullable String cookie(@Nullable String header, String name) {
        if (header == null) {
            return null;
        }
        for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                return pair.substring(equals + 1).trim();
            }
        }
        return null;
    }
}
