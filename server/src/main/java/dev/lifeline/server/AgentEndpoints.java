package dev.lifeline.server;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Where {@link A2aLane} connects for an agent URL, parsed once per URL. An IP literal is known at
 * once; a host name is resolved on the blocking executor, never on an event loop, and until its
 * first resolution is done the URL is not known here (the call takes the blocking way). A
 * resolution older than {@link #FRESH_NANOS} is refreshed in the background and used meanwhile. Only
 * plain {@code http} URLs are known: TLS to agents is the blocking way's.
 */
final class AgentEndpoints {
    /** How long a resolved name is used before it is resolved again, like the JDK's own DNS cache. */
    static final long FRESH_NANOS = 30_000_000_000L;

    private static final int MAX_URLS = 10_000;

    /**
     * One agent URL, ready to connect.
     *
     * @param target the request target: path and query
     * @param host the {@code Host} header
     */
    record Endpoint(InetSocketAddress address, String target, String host, long resolvedAt) {}

    private final Map<String, Endpoint> known = new ConcurrentHashMap<>();
    private final Map<String, Boolean> resolving = new ConcurrentHashMap<>();
    private final Executor blocking;
    private final LongSupplier nanoTime;

    AgentEndpoints(Executor blocking, LongSupplier nanoTime) {
        this.blocking = blocking;
        this.nanoTime = nanoTime;
    }

    /** Where to connect for {@code url}; empty while its name is being resolved, or when the lane does not take it. */
    Optional<Endpoint> of(String url) {
        Endpoint endpoint = known.get(url);
        if (endpoint == null) {
            return firstLook(url);
        }
        if (endpoint.resolvedAt() != Long.MIN_VALUE && nanoTime.getAsLong() - endpoint.resolvedAt() > FRESH_NANOS) {
            resolveLater(url);
        }
        return Optional.of(endpoint);
    }

    private Optional<Endpoint> firstLook(String url) {
        Optional<URI> uri = plainHttp(url);
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        byte[] literal =
                NetUtil.createByteArrayFromIpAddressString(bare(uri.get().getHost()));
        if (literal == null) {
            resolveLater(url);
            return Optional.empty();
        }
        try {
            return Optional.of(remember(url, uri.get(), InetAddress.getByAddress(literal), Long.MIN_VALUE));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private void resolveLater(String url) {
        if (resolving.putIfAbsent(url, Boolean.TRUE) != null) {
            return;
        }
        blocking.execute(() -> {
            try {
                URI uri = plainHttp(url).orElseThrow();
                remember(url, uri, InetAddress.getByName(bare(uri.getHost())), nanoTime.getAsLong());
            } catch (UnknownHostException e) {
                known.remove(url); // the blocking way answers for a name that does not resolve
            } finally {
                resolving.remove(url);
            }
        });
    }

    private Endpoint remember(String url, URI uri, InetAddress address, long resolvedAt) {
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        Endpoint endpoint = new Endpoint(new InetSocketAddress(address, port), target, host, resolvedAt);
        if (known.size() >= MAX_URLS) {
            known.clear();
        }
        known.put(url, endpoint);
        return endpoint;
    }

    private static Optional<URI> plainHttp(String url) {
        try {
            URI uri = new URI(url);
            boolean http = uri.getScheme() != null
                    && uri.getScheme().toLowerCase(Locale.ROOT).equals("http");
            return http && uri.getHost() != null && uri.getRawUserInfo() == null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
