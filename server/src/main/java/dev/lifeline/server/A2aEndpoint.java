package dev.lifeline.server;

import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.UnauthorizedException;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.proxy.A2aProxy;
import dev.lifeline.proxy.CallOptions;
import dev.lifeline.proxy.PassedHeaders;
import dev.lifeline.proxy.ProxyConfig;
import dev.lifeline.proxy.ProxyReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /workspaces/{id}/a2a}: authenticates the caller and hands the call to the proxy.
 *
 * <p>It sits in front of Javalin as a plain Jetty handler, because it is the one route on the hot
 * path: the servlet layer and Javalin's context cost more CPU per call than the rest of the proxy.
 * Every other request, including the agent-card routes of {@link AgentCardRoutes}, passes through to
 * Javalin. Errors are answered from the same table as Javalin's, {@link ApiErrors}.
 */
final class A2aEndpoint extends Handler.Wrapper {
    private static final String PREFIX = "/workspaces/";
    private static final String SUFFIX = "/a2a";

    private final A2aProxy proxy;
    private final Auth auth;
    private final int maxRequestBytes;

    A2aEndpoint(A2aProxy proxy, Auth auth, ProxyConfig config) {
        this.proxy = proxy;
        this.auth = auth;
        this.maxRequestBytes = config.maxRequestBytes();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String id = HttpMethod.POST.is(request.getMethod()) ? workspaceOf(path) : null;
        if (id == null) {
            return super.handle(request, response, callback);
        }
        try {
            forward(id, request, response, callback);
        } catch (Exception e) {
            if (response.isCommitted()) {
                callback.failed(e);
            } else {
                ApiErrors.Answer answer = ApiErrors.answer(e, "POST", path);
                reply(response, callback, answer.status(), "application/json", Json.write(answer.body()));
            }
        }
        return true;
    }

    /** The workspace id of an A2A path ({@code /workspaces/{id}/a2a}, optional trailing slash). */
    static @Nullable String workspaceOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!p.startsWith(PREFIX) || !p.endsWith(SUFFIX) || p.length() <= PREFIX.length() + SUFFIX.length()) {
            return null;
        }
        String id = p.substring(PREFIX.length(), p.length() - SUFFIX.length());
        return id.indexOf('/') < 0 ? id : null;
    }

    private void forward(String id, Request request, Response response, Callback callback) throws IOException {
        WorkspaceId target = WorkspaceId.parse(id);
        WorkspaceId caller = authenticateCaller(request);
        CallOptions options =
                CallOptions.from(caller, timeoutSeconds(request.getHeaders().get("X-Timeout")));
        options = PreferWait.of(request.getHeaders().getValuesList("Prefer"))
                .map(options::withPreferredWait)
                .orElse(options);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : PassedHeaders.REQUEST) {
            String value = request.getHeaders().get(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(maxRequestBytes + 1); // one byte more tells the proxy it is too large
        }
        HangUpWatch line = new HangUpWatch(request);
        ProxyReply reply;
        try {
            reply = proxy.forward(target, body, headers, options, line);
        } finally {
            line.stop();
        }
        if (line.spoiled()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        switch (reply) {
            case ProxyReply.Relayed r -> {
                passBack(response, r.headers());
                reply(response, callback, r.status(), r.contentType(), r.body());
            }
            case ProxyReply.Refused r -> {
                r.headers().forEach(response.getHeaders()::put);
                reply(response, callback, r.status(), "application/json", Json.write(r.body()));
            }
            case ProxyReply.Streamed s -> stream(response, callback, s);
        }
    }

    /**
     * Canvas and operator calls carry the admin token (caller null); agents carry their own id and
     * token (caller = their id).
     */
    private @Nullable WorkspaceId authenticateCaller(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String caller = request.getHeaders().get("X-Workspace-ID");
        if (caller == null || caller.isBlank()) {
            if (auth.signedIn(request.getMethod(), request.getHeaders()::get)) {
                return null;
            }
            auth.requireAdmin(authorization);
            return null;
        }
        if (CallOptions.isSystemId(caller)) {
            throw UnauthorizedException.forbidden("invalid caller ID");
        }
        WorkspaceId callerId = WorkspaceId.parse(caller.trim());
        String token = Auth.bearer(authorization)
                .filter(t -> !auth.isAdmin(t))
                .orElseThrow(() -> UnauthorizedException.missing("missing caller auth token"));
        TokenGrant grant = auth.grantOf(token);
        if (!grant.workspaceId().equals(callerId)) {
            throw UnauthorizedException.missing("invalid caller auth token");
        }
        return callerId;
    }

    /** {@code X-Timeout}: whole seconds up to {@link InputLimits#LONGEST_WAIT}; 0 or absent means the default rule. */
    static long timeoutSeconds(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        long longest = InputLimits.LONGEST_WAIT.toSeconds();
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds < 0 || seconds > longest) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(
                    "X-Timeout must be a whole number of seconds from 0 to " + longest,
                    "send X-Timeout: 120, or 0 for no deadline of your own");
        }
    }

    /**
     * Sets the agent's response headers. Its {@code Vary} is added to Lifeline's own ({@code Origin},
     * set by {@link Cors}), never put in its place, and the browser is told not to second-guess the
     * agent's content type, since the answer is served from Lifeline's origin.
     */
    private static void passBack(Response response, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (HttpHeader.VARY.is(name)) {
                response.getHeaders().add(HttpHeader.VARY, value);
            } else {
                response.getHeaders().put(name, value);
            }
        });
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
    }

    private static void reply(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static void reply(Response response, Callback callback, int status, String contentType, String body) {
        reply(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void stream(Response response, Callback callback, ProxyReply.Streamed s) {
        response.setStatus(s.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
        passBack(response, s.headers());
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            s.relay().relay(out);
        } catch (IOException e) {
            callback.failed(e); // the caller left; the relay already read the agent's stream to its end
            return;
        }
        callback.succeeded();
    }
}
