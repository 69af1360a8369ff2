package dev.lifeline.proxy;

import dev.lifeline.core.Evidence;
import dev.lifeline.core.HealthCheck;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an A2A call to a workspace's agent and classifies what happened.
 *
 * <p>The pipeline: resolve the target from the store (never a cached URL that outlived a status
 * change), normalise the payload, dispatch with connect and header timeouts but no overall
 * timeout, then answer. A 2xx/4xx answer is relayed intact. A transport failure or an upstream
 * 502/503/504 is reported to the {@link HealthCheck}, and only proven death turns it into the
 * structured {@code 503 restarting}; a healthy agent's own 502 reaches the caller unchanged.
 */
public final class A2aProxy {
    private static final Logger log = LoggerFactory.getLogger(A2aProxy.class);

    private final WorkspaceStore store;
    private final HealthCheck health;
    private final ProxyConfig config;
    private final HttpClient client;

    public A2aProxy(WorkspaceStore store, HealthCheck health, ProxyConfig config) {
        this.store = store;
        this.health = health;
        this.config = config;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Forwards {@code body} to the agent of {@code target}.
     *
     * @param headers request headers to pass through (A2A-Version, Accept), already filtered
     */
    public ProxyReply forward(WorkspaceId target, byte[] body, Map<String, String> headers) {
        if (body.length > config.maxRequestBytes()) {
            return ProxyReply.Refused.of(
                    413,
                    Map.of("error", "request body exceeds the " + (config.maxRequestBytes() >> 10) + " KiB limit"));
        }
        Optional<Workspace> found = store.find(target).filter(w -> w.status() != WorkspaceStatus.REMOVED);
        if (found.isEmpty()) {
            return ProxyReply.Refused.of(404, Map.of("error", "workspace not found"));
        }
        Workspace workspace = found.get();
        Optional<ProxyReply.Refused> unavailable = Targets.unavailable(workspace);
        if (unavailable.isPresent()) {
            return unavailable.get();
        }
        byte[] request = Payloads.normalise(body);
        return dispatch(workspace, workspace.endpoint().orElseThrow(), request, headers);
    }

    private ProxyReply dispatch(Workspace workspace, String url, byte[] request, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.responseHeaderTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request));
        headers.forEach(builder::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            log.info("{} transport failure: {}", workspace.id(), e.toString());
            return Outcomes.transportFailure(health.suspect(workspace, Evidence.REACTIVE_TRANSPORT), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcomes.unreachable();
        }
        return answer(workspace, response);
    }

    private ProxyReply answer(Workspace workspace, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        if (status == 502 || status == 503 || status == 504) {
            Optional<ProxyReply.Refused> dead =
                    Outcomes.upstreamError(health.suspect(workspace, Evidence.REACTIVE_UPSTREAM));
            if (dead.isPresent()) {
                closeQuietly(response.body());
                return dead.get();
            }
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
        if (contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new ProxyReply.Streamed(status, response.body());
        }
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(config.maxResponseBytes() + 1);
            if (bytes.length > config.maxResponseBytes()) {
                return ProxyReply.Refused.of(
                        502,
                        Map.of(
                                "error",
                                "agent response exceeds the " + (config.maxResponseBytes() >> 20) + " MiB limit"));
            }
            return new ProxyReply.Relayed(status, contentType, bytes);
        } catch (IOException e) {
            log.info("{} failed while reading the response: {}", workspace.id(), e.toString());
            return Outcomes.transportFailure(health.suspect(workspace, Evidence.REACTIVE_TRANSPORT), e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("closing an abandoned response failed", e);
        }
    }
}
