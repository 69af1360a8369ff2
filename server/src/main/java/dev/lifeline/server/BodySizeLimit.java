package dev.lifeline.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request whose declared {@code Content-Length} is over the limit with a 413 at once,
 * before any of its body is read or any route sees it. A body without a declared length is bounded
 * where it is read.
 */
final class BodySizeLimit extends Handler.Wrapper {
    private final long maxBytes;

    BodySizeLimit(long maxBytes, Handler next) {
        super(next);
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() <= maxBytes) {
            return super.handle(request, response, callback);
        }
        ApiErrors.Answer answer = ApiErrors.stackAnswer(413);
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // the unread body makes the connection unusable for a next request
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(Json.write(answer.body()).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
