package dev.lifeline.backend.controlplane;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a limit: bytes beyond it are never buffered, and once the limit is
 * reached the rest of the body is not read at all. A JSON value that fits within the limit decodes
 * even when megabytes of padding follow it.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Bytes> {

    /** What was read; {@code cut} says the body went on beyond the limit. */
    static final class Bytes {
        private final byte[] data;
        private final boolean cut;

        Bytes(byte[] data, boolean cut) {
            this.data = data;
            this.cut = cut;
        }

        byte[] data() {
            return data;
        }

        boolean cut() {
            return cut;
        }
    }

    private final int limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.@org.jspecify.annotations.Nullable Subscription subscription;

    private BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<Bytes> upTo(int limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int room = limit - buffer.size();
            int take = Math.min(room, item.remaining());
            byte[] chunk = new byte[take];
            item.get(chunk);
            buffer.write(chunk, 0, take);
            if (item.hasRemaining()) {
                result.complete(new Bytes(buffer.toByteArray(), true));
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                return;
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(buffer.toByteArray(), false));
    }
}
