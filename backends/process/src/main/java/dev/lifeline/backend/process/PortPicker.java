package dev.lifeline.backend.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Picks a free loopback port for each agent. The kernel only knows a port is taken once the agent
 * has bound it, which takes a JVM agent a second or two; in that window the kernel may offer the same
 * port to the next start, and with fifty agents starting at once it does. So a port handed out is not
 * handed out again for {@link #QUARANTINE}, by which time its agent has bound it or died.
 */
final class PortPicker {
    static final Duration QUARANTINE = Duration.ofMinutes(1);
    private static final int ATTEMPTS = 50;

    private final Map<Integer, Long> handedOut = new LinkedHashMap<>();
    private final LongSupplier nanoTime;
    private final FreePort freePort;

    /** Asks the system for a port that is free right now. */
    @FunctionalInterface
    interface FreePort {
        int next() throws IOException;
    }

    PortPicker() {
        this(System::nanoTime, PortPicker::systemFreePort);
    }

    PortPicker(LongSupplier nanoTime, FreePort freePort) {
        this.nanoTime = nanoTime;
        this.freePort = freePort;
    }

    /** A free port that no agent started in the last minute was given. */
    synchronized int pick() throws IOException {
        long now = nanoTime.getAsLong();
        forgetOlderThan(now - QUARANTINE.toNanos());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort.next();
            if (!handedOut.containsKey(port)) {
                handedOut.put(port, now);
                return port;
            }
        }
        throw new IOException("no free loopback port after " + ATTEMPTS + " attempts");
    }

    private void forgetOlderThan(long cutoff) {
        Iterator<Long> times = handedOut.values().iterator();
        while (times.hasNext() && times.next() - cutoff < 0) {
            times.remove();
        }
    }

    private static int systemFreePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }
}
