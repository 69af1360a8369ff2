package dev.lifeline.proxy;

import dev.lifeline.core.InvalidRequestException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether Lifeline may connect to an agent URL, and pins the address it checked.
 *
 * <p>Design note: the check and the connection must agree on the address, or a name that resolves
 * to a public address while it is checked and to 169.254.169.254 a moment later (DNS rebinding)
 * gets through. So {@link #check} resolves the host once, refuses the URL when any of its
 * addresses is blocked, and returns the first address as an IP-literal URI to connect to; nothing
 * resolves the name again. One rule set applies everywhere (registration and dispatch alike); the
 * two flags are the only knobs. The ranges are listed in {@link BlockedRanges}.
 *
 * @param allowLoopback let 127.0.0.0/8 and ::1 through: agents on this machine, in development
 * @param allowPrivate let 10/8, 172.16/12, 192.168/16 and fc00::/7 through: agents on the local
 *     network or a Docker network
 * @param resolver how host names become addresses; IP literals never reach it
 */
public record UrlPolicy(boolean allowLoopback, boolean allowPrivate, HostResolver resolver) {
    private static final String EXAMPLE = "use an absolute http or https URL, e.g. http://agent.example.com:8000";
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /**
     * Checks {@code url} and returns where to connect.
     *
     * @throws InvalidRequestException when the URL is malformed, not http(s), has no host, does not
     *     resolve, or any address it resolves to is blocked
     */
    public PinnedTarget check(String url) {
        URI uri = parse(url);
        String host = uri.getHost();
        boolean literal = host.startsWith("[") || NUMERIC_HOST.matcher(host).matches();
        List<InetAddress> addresses = literal ? List.of(literal(host)) : resolve(host);
        for (InetAddress address : addresses) {
            Optional<BlockedRanges.Blocked> blocked = BlockedRanges.find(address, allowLoopback, allowPrivate);
            if (blocked.isPresent()) {
                throw new InvalidRequestException(
                        "agent URL " + (literal ? "points at" : "resolves to") + " a blocked address "
                                + blocked.get().describe(),
                        blocked.get().gate().hint());
            }
        }
        InetAddress pinned = pin(literal ? null : host, addresses.getFirst());
        return new PinnedTarget(uri, pinned, connectUri(uri, pinned));
    }

    /** Whether {@code address} is refused under these allowances. */
    static boolean isBlocked(InetAddress address, boolean allowLoopback, boolean allowPrivate) {
        return BlockedRanges.find(address, allowLoopback, allowPrivate).isPresent();
    }

    /** The URL as a {@link URI} with an http(s) scheme, a host and a valid port; refused otherwise. */
    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("agent URL is not a valid URL", EXAMPLE);
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new InvalidRequestException("agent URL has no scheme", EXAMPLE);
        }
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw new InvalidRequestException("agent URL must use http or https, not " + scheme, EXAMPLE);
        }
        if (uri.getHost() == null) {
            throw new InvalidRequestException(
                    "agent URL has no valid host",
                    "use a host name, a dotted IPv4 address or a bracketed IPv6 address");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new InvalidRequestException("agent URL port " + uri.getPort() + " is out of range", EXAMPLE);
        }
        return uri;
    }

    /** The address an IP-literal host names, without asking the resolver. */
    private static InetAddress literal(String host) {
        if (!host.startsWith("[")) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw new InvalidRequestException(
                        "agent URL host " + host + " is not a plain IPv4 address",
                        "write IPv4 addresses as four decimal numbers from 0 to 255 without leading zeros");
            }
            return InetAddress.ofLiteral(host);
        }
        String inner = host.substring(1, host.length() - 1);
        if (inner.contains("%")) {
            throw new InvalidRequestException(
                    "agent URL IPv6 address must not carry a zone id", "remove the %zone part of the address");
        }
        try {
            return InetAddress.ofLiteral(inner);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "agent URL host " + host + " is not a valid IPv6 address",
                    "check the address between the brackets");
        }
    }

    private List<InetAddress> resolve(String host) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            throw new InvalidRequestException(
                    "agent URL host " + host + " does not resolve",
                    "check the host name, or register the agent by IP address");
        }
        return addresses;
    }

    /** A copy of {@code address} without IPv6 scope, IPv4-mapped forms turned into plain IPv4. */
    private static InetAddress pin(@Nullable String host, InetAddress address) {
        try {
            return InetAddress.getByAddress(host, address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.getAddress().length + " bytes", e);
        }
    }

    private static URI connectUri(URI uri, InetAddress pinned) {
        String ip = pinned.getHostAddress();
        StringBuilder s = new StringBuilder(uri.getScheme().toLowerCase(Locale.ROOT)).append("://");
        if (uri.getRawUserInfo() != null) {
            s.append(uri.getRawUserInfo()).append('@');
        }
        s.append(pinned instanceof Inet6Address ? "[" + ip + "]" : ip);
        if (uri.getPort() != -1) {
            s.append(':').append(uri.getPort());
        }
        s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        return URI.create(s.toString());
    }
}
