package dev.lifeline.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The answers of the HTTP stack itself (a malformed request, a URI or headers too large, a stalled
 * request, an unsupported HTTP version) in the JSON shape of every other error, from {@link
 * ApiErrors#stackAnswer}, with the {@link Cors} headers of every other answer. Jetty's message is
 * never sent: it may quote the request.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final CorsOrigins corsOrigins;

    JsonErrorHandler(CorsOrigins corsOrigins) {
        this.corsOrigins = corsOrigins;
    }

    /** Every method gets a body, not only GET and POST. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        ApiErrors.Answer answer = ApiErrors.stackAnswer(code);
        Cors.decorate(corsOrigins, request, response);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] body = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
