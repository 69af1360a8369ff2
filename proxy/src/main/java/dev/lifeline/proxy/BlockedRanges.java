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
 * IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) is judged by the IPv4 address it carries,
 * since that is where the packets end up. The local-use NAT64 prefix is also private in itself: its
 * translator is on the local network and may place the IPv4 address elsewhere in the address.
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
            new Range("192.0.0.0/24", "IETF protocol assignments", Gate.ALWAYS),
            new Range("198.18.0.0/15", "benchmarking", Gate.ALWAYS),
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
            new Range("2001:2::/48", "benchmarking", Gate.ALWAYS),
            new Range("64:ff9b:1::/48", "local-use NAT64, private", Gate.PRIVATE),
            new Range("fc00::/7", "unique local, private", Gate.PRIVATE),
            new Range("fec0::/10", "site-local, private", Gate.PRIVATE));

    /** Why {@code address} is refused under these allowances, or empty when it may be connected to. */
    static Optional<Blocked> find(InetAddress address, boolean allowLoopback, boolean allowPrivate) {
        return firstBlock(address.getAddress(), allowLoopback, allowPrivate)
                .filter(b -> !b.gate().liftedBy(allowLoopback, allowPrivate));
    }

    /** The IPv4 address an IPv6 one carries, and the name of the form that carries it. */
    @SuppressWarnings("ArrayRecordComponent") // four bytes, matched once, never compared
    private record Embedded(String form, byte[] v4) {}

    /**
     * The block that decides: what an IPv6 address carries when that stays blocked, else its own
     * range, else what it carries (then lifted, and so let through).
     */
    private static Optional<Blocked> firstBlock(byte[] a, boolean allowLoopback, boolean allowPrivate) {
        if (a.length == 4) {
            return match(V4, a, "");
        }
        Optional<Blocked> carried = embeddingOf(a).flatMap(e -> match(V4, e.v4(), ", as " + e.form() + " IPv6"));
        Optional<Blocked> direct = match(V6, a, "");
        return carried.filter(b -> !b.gate().liftedBy(allowLoopback, allowPrivate))
                .or(() -> direct)
                .or(() -> carried);
    }

    private static Optional<Blocked> match(List<Range> ranges, byte[] a, String via) {
        return ranges.stream()
                .filter(r -> r.contains(a))
                .findFirst()
                .map(r -> new Blocked(r.cidr, r.label, r.gate, via));
    }

    /** The IPv4 address an IPv6 address carries, if it is one of the forms that carry one. */
    private static Optional<Embedded> embeddingOf(byte[] a) {
        byte[] last = Arrays.copyOfRange(a, 12, 16);
        if (zeros(a, 0, 10) && ones(a, 10, 12)) {
            return Optional.of(new Embedded("IPv4-mapped", last));
        }
        if (zeros(a, 0, 8) && ones(a, 8, 10) && zeros(a, 10, 12)) {
            return Optional.of(new Embedded("IPv4-translated", last));
        }
        if (zeros(a, 0, 12) && !(zeros(a, 12, 15) && (a[15] & 0xfe) == 0)) { // ::/96 except :: and ::1
            return Optional.of(new Embedded("IPv4-compatible", last));
        }
        if (startsWith(a, 0x00, 0x64, 0xff, 0x9b) && zeros(a, 4, 12)) {
            return Optional.of(new Embedded("NAT64", last));
        }
        if (startsWith(a, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return Optional.of(new Embedded("local-use NAT64", last));
        }
        if (startsWith(a, 0x20, 0x02)) {
            return Optional.of(new Embedded("6to4", Arrays.copyOfRange(a, 2, 6)));
        }
        if (startsWith(a, 0x20, 0x01, 0x00, 0x00)) {
            byte[] client = new byte[4];
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~last[i]; // Teredo stores its client's address inverted
            }
            return Optional.of(new Embedded("Teredo", client));
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] a, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((a[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ones(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((a[i] & 0xff) != 0xff) {
                return false;
            }
        }
        return true;
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
