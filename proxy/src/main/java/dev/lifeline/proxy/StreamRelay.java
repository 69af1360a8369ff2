package dev.lifeline.proxy;

import dev.lifeline.core.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies an agent's {@code text/event-stream} answer to the caller as it arrives, flushing every
 * chunk. Silences longer than the keep-alive interval get a comment line (only between events), so
 * edge proxies with idle limits never cut the stream. If the agent's stream breaks, the caller gets a
 * final JSON-RPC error event and the supervisor gets a suspicion. A caller that goes away does not
 * cancel the agent's work: the rest of the stream is read and dropped.
 */
public final class StreamRelay {
    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

    private sealed interface Piece {}

    @SuppressWarnings("ArrayRecordComponent") // a chunk is written once, never compared
    private record Chunk(byte[] bytes) implements Piece {}

    private record End() implements Piece {}

    private record Broken(IOException error) implements Piece {}

    private final Workspace workspace;
    private final InputStream upstream;
    private final Watchdog watchdog;
    private final Settlement settlement;
    private final Duration keepAlive;
    private final String requestId;
    private final boolean encoded;

    /** @param encoded the agent compressed the stream: nothing can be spliced into its bytes */
    StreamRelay(
            Workspace workspace,
            InputStream upstream,
            Watchdog watchdog,
            Settlement settlement,
            Duration keepAlive,
            String requestId,
            boolean encoded) {
        this.workspace = workspace;
        this.upstream = upstream;
        this.watchdog = watchdog;
        this.settlement = settlement;
        this.keepAlive = keepAlive;
        this.requestId = requestId;
        this.encoded = encoded;
    }

    /** Relays until the agent ends the stream; returns whether it ended cleanly. */
    public boolean relay(OutputStream out) {
        BlockingQueue<Piece> pieces = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().name("a2a-stream-reader").start(() -> read(pieces));
        Sink sink = new Sink(out, encoded);
        try {
            while (true) {
                Piece piece = pieces.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
                switch (piece) {
                    case null -> sink.keepAlive();
                    case Chunk c -> sink.write(c.bytes());
                    case End e -> {
                        return true;
                    }
                    case Broken b -> {
                        sink.addendum(errorEvent(b.error()));
                        return false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            watchdog.close();
            reader.interrupt();
            closeQuietly();
        }
    }

    private void read(BlockingQueue<Piece> pieces) {
        byte[] buffer = new byte[8192];
        try (InputStream in = upstream) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                pieces.add(new Chunk(Arrays.copyOf(buffer, n)));
            }
            pieces.add(new End());
        } catch (IOException e) {
            pieces.add(new Broken(e));
        }
    }

    private byte[] errorEvent(IOException error) {
        if (watchdog.fired().isPresent()) {
            return StreamLines.cutOff(requestId, watchdog.fired().get());
        }
        return StreamLines.broken(requestId, settlement.streamBroke(workspace, error));
    }

    private void closeQuietly() {
        try {
            upstream.close();
        } catch (IOException e) {
            log.debug("closing the agent stream failed", e);
        }
    }

    /**
     * The caller's side: flushes every write, tracks event boundaries, survives a departed caller.
     * Lifeline's own lines (keep-alives, the final error event) go only into a stream that is not
     * compressed.
     */
    private static final class Sink {
        private final OutputStream out;
        private final boolean encoded;
        private final StreamLines lines = new StreamLines();
        private boolean callerGone;

        Sink(OutputStream out, boolean encoded) {
            this.out = out;
            this.encoded = encoded;
        }

        void keepAlive() {
            if (lines.betweenEvents()) {
                addendum(StreamLines.KEEP_ALIVE);
            }
        }

        void addendum(byte[] bytes) {
            if (!encoded) {
                write(bytes);
            }
        }

        void write(byte[] bytes) {
            lines.saw(bytes);
            if (callerGone) {
                return;
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                callerGone = true;
                log.debug("caller left a stream; the agent's answer is read to its end and dropped");
            }
        }
    }
}
