package dev.lifeline.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An event subscriber that opens its stream over a raw socket with a tiny receive buffer, reads the
 * response head and then reads nothing more, until the test asks what became of the connection.
 */
final class StalledClient implements AutoCloseable {
    private final Socket socket;
    private final String head;

    private StalledClient(TestServer server, String request) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()));
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        head = readHead(socket.getInputStream());
    }

    static StalledClient webSocket(TestServer server) throws IOException {
        return new StalledClient(
                server,
                "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: bGlmZWxpbmUtc3RhbGxlZA==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\n\r\n");
    }

    static StalledClient sse(TestServer server, String workspaceId) throws IOException {
        return new StalledClient(
                server,
                "GET /workspaces/" + workspaceId + "/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + TestServer.ADMIN_TOKEN + "\r\n\r\n");
    }

    /** The status line of the server's answer. */
    String status() {
        return head.lines().findFirst().orElse("");
    }

    /**
     * Reads what the server had sent, now at full speed; true when the server closed the connection
     * within {@code wait}, false when it is still open.
     */
    boolean wasCutOff(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
