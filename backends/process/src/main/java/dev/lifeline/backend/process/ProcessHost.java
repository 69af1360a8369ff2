package dev.lifeline.backend.process;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a process id means the same process: one kernel boot and one PID namespace. Servers that
 * share it may probe and stop each other's agents (several replicas on one machine); servers that
 * do not (other machines, other containers) must leave them to the server that started them.
 */
public final class ProcessHost {
    private ProcessHost() {}

    /** This server's host: the kernel's boot id and the PID namespace, else the host name. */
    public static String id() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                    .strip();
            String namespace =
                    Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return "boot:" + boot + "/" + namespace;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            try {
                return "host:" + InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "host:localhost";
            }
        }
    }
}
