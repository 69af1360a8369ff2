package dev.lifeline.proxy;

import java.net.InetAddress;
import java.net.URI;

/**
 * An agent URL that {@link UrlPolicy} accepted, with the one address it checked and that Lifeline
 * must connect to.
 *
 * <p>{@code connectUri} is {@code original} with its host replaced by that address (IPv6 in
 * brackets) and the same scheme, user info, port, path and query; the fragment is dropped, as HTTP
 * never sends it. Connect to {@code connectUri} only, never resolve {@code original} again (that is
 * the DNS-rebinding window this type closes), and send {@code Host: }{@link #hostHeader()} so the
 * agent still sees the name it registered. For https, a connection to an IP literal carries no SNI
 * and its certificate would be checked against the IP: the transport must present {@code
 * original().getHost()} as the SNI server name and verify the certificate against that name.
 *
 * @param original the URL as registered, host name included
 * @param address the checked address, the first one the host resolved to
 * @param connectUri where to connect: {@code original} with {@code address} as its host
 */
public record PinnedTarget(URI original, InetAddress address, URI connectUri) {

    /** The {@code Host} header value: the original host, with its port when the URL names one. */
    public String hostHeader() {
        String host = original.getHost();
        return original.getPort() == -1 ? host : host + ":" + original.getPort();
    }
}
