package dev.lifeline.server;

import dev.lifeline.core.PublishedEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.jspecify.annotations.Nullable;

/**
 * One {@code /ws} client's feed: each event goes out as one text frame, handed to the socket
 * without waiting. Jetty queues what the client has not read yet; once that passes the client's
 * {@link PendingLimit} the client is disconnected (it reconnects and reads the state again), so a
 * client that stops reading holds at most that much of the server.
 */
final class WsFeed implements FanOut.Feed<WsFeed.Frame> {
    /**
     * An event's text frame, serialised once for every client: the text, its UTF-8 bytes, and the
     * head of the WebSocket frame that carries them from a server (unmasked, so the same for all);
     * and, once a client that accepted {@link PerMessageDeflate} asks, the same compressed once.
     */
    static final class Frame {
        /** A final text frame's first byte, and the bit that says its payload is compressed. */
        private static final int FIN_TEXT = 0x81;

        private static final int RSV1 = 0x40;
        /** What {@link #wire(boolean)} keeps for a message that compressing does not make smaller. */
        private static final byte[] NONE = new byte[0];

        private final String text;
        private final byte[] utf8;
        private final byte[] head;
        private volatile byte @Nullable [] deflated;

        private Frame(String text) {
            this.text = text;
            this.utf8 = text.getBytes(StandardCharsets.UTF_8);
            this.head = head(utf8.length);
        }

        static Frame of(PublishedEvent event) {
            return text(EventRoutes.wsEnvelope(event));
        }

        static Frame text(String text) {
            return new Frame(text);
        }

        String text() {
            return text;
        }

        long bytes() {
            return utf8.length;
        }

        /** The whole frame, head and payload, as it goes on the wire; shares the frame's arrays. */
        ByteBuf wire() {
            return Unpooled.wrappedBuffer(head, utf8);
        }

        /**
         * Compresses the frame for the clients that accepted {@link PerMessageDeflate}, unless done
         * already: once for all of them, on the thread that first asks.
         */
        void compress() {
            if (deflated == null) {
                byte[] payload = PerMessageDeflate.deflate(utf8);
                // two threads may both compress it: the same bytes, either is kept
                deflated = payload.length < utf8.length ? concat(head(FIN_TEXT | RSV1, payload.length), payload) : NONE;
            }
        }

        /**
         * The frame for a client: compressed for one that accepted {@link PerMessageDeflate}, unless
         * compressing did not make it smaller (a message may always go uncompressed).
         */
        ByteBuf wire(boolean compressed) {
            if (!compressed) {
                return wire();
            }
            compress();
            byte[] frame = Objects.requireNonNull(deflated);
            return frame.length == 0 ? wire() : Unpooled.wrappedBuffer(frame);
        }

        private static byte[] concat(byte[] head, byte[] payload) {
            byte[] frame = Arrays.copyOf(head, head.length + payload.length);
            System.arraycopy(payload, 0, frame, head.length, payload.length);
            return frame;
        }

        private static byte[] head(int length) {
            return head(FIN_TEXT, length);
        }

        /** A final frame's head (RFC 6455 5.2): its first byte, then the length in 7, 16 or 64 bits. */
        private static byte[] head(int first, int length) {
            byte start = (byte) first;
            if (length < 126) {
                return new byte[] {start, (byte) length};
            }
            if (length < 65_536) {
                return new byte[] {start, 126, (byte) (length >>> 8), (byte) length};
            }
            byte[] head = new byte[10];
            head[0] = start;
            head[1] = 127;
            for (int i = 0; i < 8; i++) {
                head[9 - i] = (byte) ((long) length >>> (8 * i));
            }
            return head;
        }
    }

    private final Session session;
    private final PendingSends pending;
    private final Runnable onCutOff;
    private final AtomicBoolean open = new AtomicBoolean(true);

    WsFeed(Session session, PendingSends pending, Runnable onCutOff) {
        this.session = session;
        this.pending = pending;
        this.onCutOff = onCutOff;
    }

    @Override
    public boolean wants(PublishedEvent event) {
        return open.get();
    }

    @Override
    public void send(Frame frame) {
        long size = frame.bytes();
        if (!pending.admit(size)) {
            cutOff();
            return;
        }
        session.sendText(frame.text(), Callback.from(() -> pending.done(size), failure -> pending.done(size)));
    }

    private void cutOff() {
        if (open.compareAndSet(true, false)) {
            onCutOff.run();
            session.disconnect();
        }
    }
}
