package dev.lifeline.proxy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Request;
import org.jspecify.annotations.Nullable;

/**
 * The agent connections of the blocking way's client that have carried an answer, for the rule the
 * lane keeps too: a call that fails on a kept-alive connection before a byte of its answer met, in
 * practice, a connection the agent closed as idle just as the call went out, and is sent once more.
 * A call on a connection that never answered is not: a refused or reset new connection is judged as
 * it is. Connections are held weakly; the client drops them when they close.
 */
final class KeptConnections {
    private final Set<Connection> answered =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** The connection {@code request} went out on carried an answer, and may be kept for the next call. */
    void answered(Request request) {
        @Nullable Connection connection = request.getConnection();
        if (connection != null) {
            answered.add(connection);
        }
    }

    /**
     * Whether {@code request}, which failed before its answer began, failed because the agent ended a
     * kept connection under it: the failure is the connection's (not a timeout or a cut-off of
     * Lifeline's own), and the connection had answered an earlier call.
     */
    boolean endedUnderACall(Request request, Throwable failure) {
        @Nullable Connection connection = request.getConnection();
        return failure instanceof IOException
                && !(failure instanceof HttpTimeoutException)
                && connection != null
                && answered.contains(connection);
    }
}
