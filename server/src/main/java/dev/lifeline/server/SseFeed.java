package dev.lifeline.server;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One SSE client's feed of one workspace's events: the bus hands frames over, the request's own
 * thread writes them (blocking), with keep-alive comments while there is nothing to say. What is
 * handed over and not yet written is bounded by the client's {@link PendingLimit}; past it the
 * client is cut off (it reconnects and reads the state again) and its frames are let go.
 */
final class SseFeed implements FanOut.Feed<byte[]> {
    /** Wakes the writer after a cut-off; never written. */
    private static final byte[] WAKE_UP = new byte[0];

    private final WorkspaceId workspace;
    private final PendingSends pending;
    private final Runnable onCutOff;
    private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final AtomicBoolean open = new AtomicBoolean(true);

    SseFeed(WorkspaceId workspace, PendingSends pending, Runnable onCutOff) {
        this.workspace = workspace;
        this.pending = pending;
        this.onCutOff = onCutOff;
    }

    /** An event's SSE frame, serialised once for every client of its workspace. */
    static byte[] frame(PublishedEvent event) {
        return ("data: " + EventRoutes.sseEnvelope(event) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean wants(PublishedEvent event) {
        return open.get() && event.event().workspaceId().equals(workspace);
    }

    @Override
    public void send(byte[] frame) {
        if (!pending.admit(frame.length)) {
            cutOff();
            return;
        }
        frames.add(frame);
    }

    /** Writes frames until the client goes away (an {@link IOException}) or is cut off. */
    void writeTo(OutputStream out, Duration keepAlive) throws IOException, InterruptedException {
        write(out, ": ping\n\n".getBytes(StandardCharsets.UTF_8));
        while (true) {
            byte[] frame = frames.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
            if (!open.get()) {
                return;
            }
            if (frame == null) {
                write(out, ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            } else {
                write(out, frame);
                pending.done(frame.length);
            }
        }
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private void cutOff() {
        if (open.compareAndSet(true, false)) {
            frames.clear();
            frames.add(WAKE_UP);
            onCutOff.run();
        }
    }
}
