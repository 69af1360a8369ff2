package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * HTTP/1.1 over a plain socket, for what no client library sends: a forged {@code Host}, a
 * malformed request line, a body that stops half-way. Every read gives up after ten seconds.
 */
final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    static RawHttp connect(String baseUrl) {
        try {
            Socket socket = new Socket("127.0.0.1", java.net.URI.create(baseUrl).getPort());
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code request} (lines joined with CRLF, as written) on a new connection and reads the answer. */
    static Answer exchange(String baseUrl, String request) {
        try (RawHttp http = connect(baseUrl)) {
            http.write(request);
            return http.read();
        }
    }

    /** A GET with the WebSocket upgrade headers. */
    static String upgrade(String path, String... headerLines) {
        StringBuilder r = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        for (String line : headerLines) {
            r.append(line).append("\r\n");
        }
        return r.append("\r\n").toString();
    }

    void write(String text) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer: its head, then a body by length, by chunks, or to the end (none for 101 and streams). */
    Answer read() {
        try {
            InputStream in = socket.getInputStream();
            List<String> lines = new ArrayList<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                lines.add(line);
            }
            Answer head = new Answer(Integer.parseInt(lines.getFirst().split(" ")[1]), lines, "");
            if (head.status() == 101 || head.header("Content-Type").orElse("").startsWith("text/event-stream")) {
                return head;
            }
            return new Answer(head.status(), lines, body(in, head));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one WebSocket frame from the server, after a 101. */
    Frame readFrame() {
        try {
            return Frame.read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A WebSocket frame from a server: its first byte (FIN, RSV1–3, the opcode) and its payload as sent. */
    static final class Frame {
        private final int first;
        private final byte[] payload;

        private Frame(int first, byte[] payload) {
            this.first = first;
            this.payload = payload;
        }

        int first() {
            return first;
        }

        /** Reads a frame as a server sends it (RFC 6455 5.2: unmasked, its length in 7, 16 or 64 bits). */
        static Frame read(InputStream in) throws IOException {
            byte[] head = in.readNBytes(2);
            if (head.length < 2) {
                throw new IOException("the connection ended before a frame");
            }
            long length = head[1] & 0x7f;
            if (length == 126) {
                length = java.nio.ByteBuffer.wrap(in.readNBytes(2)).getShort() & 0xffff;
            } else if (length == 127) {
                length = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
            }
            return new Frame(head[0] & 0xff, in.readNBytes(Math.toIntExact(length)));
        }

        /** RSV1, which says the payload is compressed (RFC 7692 6). */
        boolean compressed() {
            return (first & 0x40) != 0;
        }

        int opcode() {
            return first & 0x0f;
        }

        /**
         * The payload as text; a compressed one inflated on its own, as RFC 7692 7.2.2 has a client do
         * (the tail the sender removed put back first), so a message that needed the previous one's
         * dictionary fails here.
         */
        String text() {
            if (!compressed()) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            byte[] whole = Arrays.copyOf(payload, payload.length + 4);
            whole[whole.length - 2] = (byte) 0xff;
            whole[whole.length - 1] = (byte) 0xff;
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(whole);
                byte[] text = new byte[1 << 20];
                int n = inflater.inflate(text);
                return new String(text, 0, n, StandardCharsets.UTF_8);
            } catch (DataFormatException e) {
                throw new AssertionError("a compressed frame that does not inflate on its own", e);
            } finally {
                inflater.end();
            }
        }
    }

    private static String body(InputStream in, Answer head) throws IOException {
        Optional<String> length = head.header("Content-Length");
        if (length.isPresent()) {
            return new String(in.readNBytes(Integer.parseInt(length.get())), StandardCharsets.UTF_8);
        }
        if (head.header("Transfer-Encoding").orElse("").equalsIgnoreCase("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            return body.toString(StandardCharsets.UTF_8);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A status, the head's lines (the status line first) and the body. */
    record Answer(int status, List<String> head, String body) {
        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return head.stream()
                    .skip(1)
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).trim())
                    .findFirst();
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
