package dev.lifeline.backend.docker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * Lifeline's URL as a container sees it. A loopback address means "this host" to Lifeline but
 * "this container" inside one, so it is replaced by {@code host.docker.internal}, which the
 * container maps to the host's gateway address; Lifeline must then listen on an address the
 * containers can reach (the bridge gateway, or all addresses).
 *
 * @param url the platform URL to give the agent
 * @param needsHostGateway whether the container needs {@code host.docker.internal} mapped to the host
 */
record PlatformAddress(String url, boolean needsHostGateway) {
    static final String HOST_ALIAS = "host.docker.internal";
    static final String HOST_GATEWAY_ENTRY = HOST_ALIAS + ":host-gateway";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    static PlatformAddress forContainers(String platformUrl) {
        URI uri;
        try {
            uri = new URI(platformUrl);
        } catch (URISyntaxException e) {
            return new PlatformAddress(platformUrl, false);
        }
        String host = uri.getHost();
        if (host == null || !LOOPBACK.contains(host)) {
            return new PlatformAddress(platformUrl, host != null && host.equals(HOST_ALIAS));
        }
        try {
            URI rewritten = new URI(
                    uri.getScheme(), uri.getUserInfo(), HOST_ALIAS, uri.getPort(), uri.getPath(), uri.getQuery(), null);
            return new PlatformAddress(rewritten.toString(), true);
        } catch (URISyntaxException e) {
            return new PlatformAddress(platformUrl, false);
        }
    }
}
