package dev.lifeline.proxy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;

/**
 * An agent's answer as it arrives. An ordinary answer is gathered whole, up to a cap, so the call
 * waiting for it wakes once, when it is complete; an answer whose headers say {@code
 * text/event-stream} is handed over as a stream as soon as the headers arrive, and its events flow
 * through as the agent sends them. Interim answers (1xx) are skipped: only the final answer counts,
 * for the header bound too. A 101 ends the exchange at once, since an A2A call is never upgraded.
 * The client's callbacks for one answer come one at a time.
 */
final class UpstreamAnswer implements Response.Listener {

    /** How the exchange ended, or for a stream, began. */
    sealed interface Outcome {
        /** The whole answer. */
        @SuppressWarnings("ArrayRecordComponent") // relayed once, never compared
        record Whole(Response response, byte[] body) implements Outcome {}

        /** An event stream, still arriving. */
        record Streaming(Response response, InputStream body) implements Outcome {}

        /** The agent answered 101, trying to switch protocols on a call; the exchange was aborted. */
        record SwitchedProtocols() implements Outcome {}

        /** The answer passed the cap; the exchange was aborted. */
        record TooLarge() implements Outcome {}

        /** No complete answer: refused, reset, cut off, timed out. */
        record Failed(Throwable failure) implements Outcome {}
    }

    private final int maxBytes;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final InputStreamResponseListener stream = new InputStreamResponseListener();
    private final ByteArrayOutputStream gathered = new ByteArrayOutputStream();
    private volatile boolean begun;
    private volatile boolean headersArrived;
    private volatile boolean streaming;
    private volatile boolean tooLarge;

    UpstreamAnswer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    boolean headersArrived() {
        return headersArrived;
    }

    /** Notes that the request began on a connection: from then on, bytes of it may reach the agent. */
    void requestBegun() {
        begun = true;
    }

    /** Whether the request ever began on a connection; until it does, not a byte of it is written. */
    boolean begun() {
        return begun;
    }

    @Override
    public void onHeaders(Response response) {
        int status = response.getStatus();
        if (HttpStatus.isInterim(status)) {
            return;
        }
        headersArrived = true;
        if (status == HttpStatus.SWITCHING_PROTOCOLS_101) {
            outcome.complete(new Outcome.SwitchedProtocols());
            var _ = response.abort(new IllegalStateException("the agent answered 101 to a call"));
            return;
        }
        String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            streaming = true;
            stream.onHeaders(response);
            outcome.complete(new Outcome.Streaming(response, stream.getInputStream()));
        }
    }

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        if (streaming) {
            stream.onContent(response, chunk, demander);
            return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (gathered.size() + bytes.remaining() > maxBytes) {
            tooLarge = true;
            var _ = response.abort(new IllegalStateException("the agent's answer passed " + maxBytes + " bytes"));
            return;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        gathered.writeBytes(copy);
        demander.run();
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        throw new UnsupportedOperationException("content arrives in chunks");
    }

    @Override
    public void onSuccess(Response response) {
        if (streaming) {
            stream.onSuccess(response);
        }
    }

    @Override
    public void onFailure(Response response, Throwable failure) {
        if (streaming) {
            stream.onFailure(response, failure);
        }
    }

    @Override
    public void onComplete(Result result) {
        if (streaming) {
            stream.onComplete(result);
        } else if (tooLarge) {
            outcome.complete(new Outcome.TooLarge());
        } else if (result.isFailed()) {
            outcome.complete(new Outcome.Failed(result.getFailure()));
        } else {
            outcome.complete(new Outcome.Whole(result.getResponse(), gathered.toByteArray()));
        }
    }
}
