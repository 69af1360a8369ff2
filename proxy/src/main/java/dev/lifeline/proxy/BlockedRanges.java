package dev.lifeline.proxy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges an agent URL may not point at, each with the reason quoted to the caller.
 *
 * <p>{@link Gate#ALWAYS} ranges are never reachable; the loopback and private ranges open only
 * when {@link UrlPolicy} allows them. An IPv6 address that embeds an IPv4 one (IPv4-mapped,
 * IPv4-compatible, NAT64) is judged by the IPv4 address it carries, since that is where the
 * packets end up.
 */
final class BlockedRanges {
    private BlockedRanges() {}

    /** What, if anything, lets a range through. */
    enum Gate {
        ALWAYS("point the agent URL at a publicly routable address; this range is never allowed"),
        LOOPBACK("loopback agent URLs are refused unless the server is configured to allow loopback agents"),
        PRIVATE("private-network agent URLs are refused unless the server is configured to allow private agents");

        private final String hint;

        Gate(String hint) {
            this.hint = hint;
        }

        String hint() {
            return hint;
        }

        boolean liftedBy(boolean allowLoopback, boolean allowPrivate) {
            return switch (this) {
                case ALWAYS -> false;
                case LOOPBACK -> allowLoopback;
                case PRIVATE -> allowPrivate;
            };
        }
    }

    /** A blocked address's range, as {@code (169.254.0.0/16, link-local)}. */
    record Blocked(String cidr, String label, Gate gate, String via) {
        String describe() {
            return "(" + cidr + ", " + label + via + ")";
        }
    }

    private static final List<Range> V4 = List.of(
            new Range("0.0.0.0/8", "unspecified, this network", Gate.ALWAYS),
            new Range("127.0.0.0/8", "loopback", Gate.LOOPBACK),
            new Range("169.254.0.0/16", "link-local", Gate.ALWAYS),
            new Range("100.64.0.0/10", "carrier-grade NAT", Gate.ALWAYS),
            new Range("192.0.2.0/24", "documentation", Gate.ALWAYS),
            new Range("198.51.100.0/24", "documentation", Gate.ALWAYS),
            new Range("203.0.113.0/24", "documentation", Gate.ALWAYS),
            new Range("224.0.0.0/4", "multicast", Gate.ALWAYS),
            new Range("240.0.0.0/4", "reserved, broadcast", Gate.ALWAYS),
            new Range("10.0.0.0/8", "private", Gate.PRIVATE),
            new Range("172.16.0.0/12", "private", Gate.PRIVATE),
            new Range("192.168.0.0/16", "private", Gate.PRIVATE));

    private static final List<Range> V6 = List.of(
            new Range("::/128", "unspecified", Gate.ALWAYS),
            new Range("::1/128", "loopback", Gate.LOOPBACK),
            new Range("fe80::/10", "link-local", Gate.ALWAYS),
            new Range("ff00::/8", "multicast", Gate.ALWAYS),
            new Range("2001:db8::/32", "documentation", Gate.ALWAYS),
            new Range("fc00::/7", "unique local, private", Gate.PRIVATE),
            new Range("fec0::/10", "site-local, private", Gate.PRIVATE));

    /** Why {@code address} is refused under these allowances, or empty when it may be connected to. */
    static Optional<Blocked> find(InetAddress address, boolean allowLoopback, boolean allowPrivate) {
        byte[] a = address.getAddress();
        Optional<Blocked> hit = a.length == 4 ? match(V4, a, "") : matchV6(a);
        return hit.filter(b -> !b.gate().liftedBy(allowLoopback, allowPrivate));
    }

    private static Optional<Blocked> matchV6(byte[] a) {
        Optional<Blocked> direct = match(V6, a, "");
        if (direct.isPresent()) {
            return direct;
        }
        return embeddingOf(a).flatMap(via -> match(V4, Arrays.copyOfRange(a, 12, 16), ", as " + via));
    }

    private static Optional<Blocked> match(List<Range> ranges, byte[] a, String via) {
        return ranges.stream()
                .filter(r -> r.contains(a))
                .findFirst()
                .map(r -> new Blocked(r.cidr, r.label, r.gate, via));
    }

    /** The name of the IPv6 form that carries an IPv4 address in its last four bytes, if any. */
    private static Optional<String> embeddingOf(byte[] a) {
        if (zeros(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return Optional.of("IPv4-mapped IPv6");
        }
        if (zeros(a, 0, 12)) {
            return Optional.of("IPv4-compatible IPv6");
        }
        if (a[0] == 0 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && zeros(a, 4, 12)) {
            return Optional.of("NAT64 IPv6");
        }
        return Optional.empty();
    }

    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** One CIDR block; a class rather than a record because it holds an array. */
    private static final class Range {
        final String cidr;
        final String label;
        final Gate gate;
        private final byte[] prefix;
        private final int bits;

        Range(String cidr, String label, Gate gate) {
            int slash = cidr.indexOf('/');
            this.cidr = cidr;
            this.label = label;
            this.gate = gate;
            this.prefix = InetAddress.ofLiteral(cidr.substring(0, slash)).getAddress();
            this.bits = Integer.parseInt(cidr.substring(slash + 1));
        }

        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
