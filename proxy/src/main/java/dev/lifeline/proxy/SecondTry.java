package dev.lifeline.proxy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/**
 * When a call is sent to its agent once more, the rule both ways keep. A kept-alive connection that
 * the agent ends (or resets) before a byte of its answer is, in practice, one the agent closed as
 * idle just as the call went out: servers close kept connections after an idle timeout (Node's after
 * 5 s), or at once when they keep too many idle (the JDK's above 200), and the close crosses the next
 * request on the wire. Answering that caller 503 would blame a healthy agent for its keep-alive
 * policy, so the call is sent once more, on a new connection; a failure there is judged as any other.
 * A refused or reset new connection is judged as it is, and so are Lifeline's own timeouts and
 * cut-offs. The price: an agent that took the call and then dropped the connection without a byte of
 * answer gets it twice.
 */
public final class SecondTry {
    private SecondTry() {}

    /**
     * Whether the call is sent once more.
     *
     * @param failure how the try ended: a connection's error, or a timeout of Lifeline's own
     * @param keptConnection whether the try went out on a connection that had carried an answer before
     * @param answerBegun whether a byte of the agent's answer had arrived
     * @param firstTry whether this was the call's first try
     */
    public static boolean applies(Throwable failure, boolean keptConnection, boolean answerBegun, boolean firstTry) {
        return firstTry
                && keptConnection
                && !answerBegun
                && failure instanceof IOException
                && !(failure instanceof HttpTimeoutException);
    }
}
