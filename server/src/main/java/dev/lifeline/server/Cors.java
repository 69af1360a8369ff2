package dev.lifeline.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Lets the pages of the {@link CorsOrigins allowed origins} call every route with credentials and
 * answers their preflights, without authentication (a preflight carries none). It is the outermost
 * handler, in front of the A2A endpoint and Javalin, so every answer gets its headers, errors
 * included; {@link JsonErrorHandler} adds them to the HTTP stack's own answers. An origin that is not
 * allowed gets no CORS header, and its preflight a 403: the browser then refuses the call itself.
 */
final class Cors extends Handler.Wrapper {
    static final String METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    /** What the canvas, agents' browsers and A2A clients send beyond the CORS-safelisted headers. */
    static final String HEADERS = "Authorization, Content-Type, X-Workspace-ID, X-Timeout, A2A-Version,"
            + " A2A-Extensions, Last-Event-ID, X-Molecule-Org-Slug";
    /** How long a browser may reuse a preflight's answer. */
    static final String MAX_AGE_SECONDS = "600";

    private static final HttpField VARY_ORIGIN = new HttpField(HttpHeader.VARY, "Origin");
    private static final HttpField VARY_PREFLIGHT =
            new HttpField(HttpHeader.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

    private final CorsOrigins origins;

    Cors(CorsOrigins origins, Handler next) {
        super(next);
        this.origins = origins;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (isPreflight(request)) {
            preflight(request, response, callback);
            return true;
        }
        decorate(origins, request, response);
        return super.handle(request, response, callback);
    }

    /** Adds the CORS headers of an ordinary (not a preflight) answer to {@code request}. */
    static void decorate(CorsOrigins origins, Request request, Response response) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.ensureField(VARY_ORIGIN);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origins.allows(origin)) {
            allow(headers, origin);
            headers.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
        }
    }

    /**
     * The CORS headers of an answer the edge composes itself (an error, before or instead of Javalin's
     * answer) to a request from {@code origin}: the same as {@link #decorate} gives every other answer.
     */
    static Map<String, String> ownAnswerHeaders(CorsOrigins origins, @Nullable String origin) {
        if (origin == null || !origins.allows(origin)) {
            return Map.of(HttpHeader.VARY.asString(), "Origin");
        }
        return Map.of(
                HttpHeader.VARY.asString(), "Origin",
                HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN.asString(), origin,
                HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS.asString(), "true",
                HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS.asString(), "Retry-After");
    }

    private static boolean isPreflight(Request request) {
        return HttpMethod.OPTIONS.is(request.getMethod())
                && request.getHeaders().contains(HttpHeader.ORIGIN)
                && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
    }

    private void preflight(Request request, Response response, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.ensureField(VARY_PREFLIGHT);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (!origins.allows(origin)) {
            ApiErrors.Answer answer = ApiErrors.ORIGIN_NOT_ALLOWED;
            response.setStatus(answer.status());
            headers.put(HttpHeader.CONTENT_TYPE, "application/json");
            byte[] body = Json.write(answer.body()).getBytes(StandardCharsets.UTF_8);
            response.write(true, ByteBuffer.wrap(body), callback);
            return;
        }
        allow(headers, origin);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
        headers.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
        response.setStatus(204);
        callback.succeeded();
    }

    private static void allow(HttpFields.Mutable headers, String origin) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
}
