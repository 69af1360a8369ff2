package dev.lifeline.server;

import dev.lifeline.proxy.CallerLine;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Sees the caller of an A2A call hang up while the call waits for a restarting workspace.
 *
 * <p>While it handles a request, Jetty reads nothing more from an HTTP/1.1 connection, so a caller
 * that closes it goes unseen until the answer is written. From the proxy's first {@link #hungUp}
 * until {@link #stop}, this watch asks the connection for readability itself: the end of the input
 * means the caller left. A client must not send its next request before a POST is answered (RFC
 * 9112 §9.3.2), so bytes arriving meanwhile come from one that breaks that rule: the first of them
 * is consumed and the connection is closed after the answer ({@link #spoiled}). Any failure of the
 * request other than an idle timeout, which a waiting caller survives, counts as a hang-up too.
 * {@link #stop} hands the connection back before the answer is written, so that Jetty goes on to
 * read the next request.
 */
final class HangUpWatch implements CallerLine {
    private final Request request;
    private final CompletableFuture<Void> hungUp = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable AbstractEndPoint endPoint;
    private boolean started;
    private boolean armed;
    private boolean stopped;
    private volatile boolean spoiled;

    HangUpWatch(Request request) {
        this.request = request;
    }

    @Override
    public CompletionStage<Void> hungUp() {
        lock.lock();
        try {
            if (!started && !stopped) {
                started = true;
                request.addFailureListener(failure -> {
                    if (!(failure instanceof TimeoutException)) {
                        hungUp.complete(null);
                    }
                });
                arm();
            }
        } finally {
            lock.unlock();
        }
        return hungUp;
    }

    /** Stops watching, giving the connection back to Jetty; to be called before the answer is written. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            if (armed && endPoint != null) {
                armed = false;
                var _ = endPoint.getFillInterest().onFail(new CancellationException("the call's answer is ready"));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the caller sent bytes while its call waited; its connection must close after the answer. */
    boolean spoiled() {
        return spoiled;
    }

    /** Asks for readability; called with the lock held. */
    private void arm() {
        if (stopped) {
            return;
        }
        if (socket(request.getConnectionMetaData().getConnection().getEndPoint())
                instanceof AbstractEndPoint connection) {
            endPoint = connection;
            armed = connection.tryFillInterested(Callback.from(this::readable, this::failed));
        }
    }

    /** The socket's own end point, under the PROXY protocol's that the Netty edge's connections have. */
    private static EndPoint socket(EndPoint endPoint) {
        EndPoint socket = endPoint;
        while (socket instanceof EndPoint.Wrapper wrapper) {
            socket = wrapper.unwrap();
        }
        return socket;
    }

    private void readable() {
        lock.lock();
        try {
            armed = false;
            if (stopped || endPoint == null) {
                return;
            }
            int read = endPoint.fill(BufferUtil.allocate(1));
            if (read < 0) {
                hungUp.complete(null);
            } else if (read == 0) {
                arm();
            } else {
                spoiled = true;
            }
        } catch (IOException e) {
            hungUp.complete(null);
        } finally {
            lock.unlock();
        }
    }

    private void failed(Throwable failure) {
        lock.lock();
        try {
            armed = false;
            if (stopped) {
                return;
            }
            if (failure instanceof TimeoutException) {
                arm();
            } else {
                hungUp.complete(null);
            }
        } finally {
            lock.unlock();
        }
    }
}
