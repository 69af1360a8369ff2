package dev.lifeline.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into the addresses it stands for; injected so that tests never touch DNS. */
@FunctionalInterface
public interface HostResolver {
    /** The platform resolver: hosts file, then DNS. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * Every address {@code host} stands for. An empty list, like an {@link UnknownHostException},
     * means the host cannot be reached.
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
