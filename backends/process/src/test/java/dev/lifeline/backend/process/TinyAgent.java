package dev.lifeline.backend.process;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A stand-in agent run as a child JVM: listens on the port it is given and answers every connection. */
final class TinyAgent {
    private TinyAgent() {}

    public static void main(String[] args) throws IOException {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on " + server.getLocalPort());
            while (true) {
                try (Socket client = server.accept();
                        OutputStream out = client.getOutputStream()) {
                    out.write("alive\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}
