package dev.lifeline.proxy;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Request;
import org.jspecify.annotations.Nullable;

/**
 * The agent connections of the blocking way's client that have carried an answer, for {@link
 * SecondTry}'s rule. Connections are held weakly; the client drops them when they close.
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

    /** Whether {@code request} went out on a connection that had carried an answer before. */
    boolean wentOutOnAKeptOne(Request request) {
        @Nullable Connection connection = request.getConnection();
        return connection != null && answered.contains(connection);
    }
}
