package dev.lifeline.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent at the socket level: it reads each request and writes back exactly the bytes the test
 * scripted, so a test can send what an ordinary HTTP server never would (interim answers, a 101 to
 * a POST, a 401 without a challenge). Each connection serves one exchange and is then closed, or,
 * for an agent that stalls, held open until the agent is closed, or, for one that keeps
 * connections, kept for the next request, which ends it.
 */
final class RawAgent implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile byte[] answer = new byte[0];
    private volatile boolean stalls;
    private volatile boolean resets;
    private volatile boolean keeps;
    private final AtomicInteger connections = new AtomicInteger();

    RawAgent() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("raw-agent").start(this::acceptUntilClosed);
    }

    /** From now on every request is answered with these bytes, sent as they are. */
    RawAgent answering(String raw) {
        return answering(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawAgent answering(byte[] raw) {
        this.answer = raw.clone();
        return this;
    }

    /** From now on the agent sends its scripted bytes and then nothing more, holding the connection. */
    RawAgent stalling() {
        this.stalls = true;
        return this;
    }

    /** From now on the agent reads each request whole and then resets the connection without a word. */
    RawAgent resettingAfterReading() {
        this.resets = true;
        return this;
    }

    /**
     * From now on the agent keeps each connection after its answer and, when the next request comes
     * on it, reads it and closes the connection without a word: what a server does that closes an
     * idle kept-alive connection just as a call goes out on it.
     */
    RawAgent endingKeptConnections() {
        this.keeps = true;
        return this;
    }

    /** How many connections the agent accepted. */
    int connections() {
        return connections.get();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    /** The headers of every request received so far, names in lower case. */
    List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
    }

    private void acceptUntilClosed() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection;
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream()) {
            for (boolean answered = false; ; answered = true) {
                Map<String, String> headers = readHead(in);
                in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                requests.add(headers);
                if (resets) {
                    connection.setSoLinger(true, 0);
                    return;
                }
                if (answered) {
                    return; // the kept connection ends under the request
                }
                out.write(answer);
                out.flush();
                if (stalls) {
                    closed.await();
                }
                if (!keeps) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the proxy gave up on this exchange; nothing to answer
        }
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended inside its head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
