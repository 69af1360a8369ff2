// Load generator of bench/concurrency.sh: opens COUNT connections to one loopback URL, one virtual
// thread each, spread over RAMP_MS, and sends one A2A SendMessage on each; the agent is asked to
// delay its answer ("!hang S"), so every call is held open at the same time. Counts answers by
// status, errors by phase (connect, send, answer) and kind, the peak number of calls in flight and
// the latencies of the answered calls.
// Run with: java bench/HeldCalls.java LABEL URL COUNT TEXT RAMP_MS   (JDK classes only)
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

public class HeldCalls {
    static final int CONNECT_TIMEOUT_MS = 30_000;
    static final int READ_TIMEOUT_MS = 60_000;

    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger peakInFlight = new AtomicInteger();
    static final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String label = args[0];
        URI url = URI.create(args[1]);
        int count = Integer.parseInt(args[2]);
        String text = args[3];
        long rampMs = Long.parseLong(args[4]);
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalArgumentException("loopback only: " + url);
        }
        byte[] request = request(url, text);
        long[] latencies = new long[count];
        Arrays.fill(latencies, -1);
        long t0 = System.nanoTime();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < count; i++) {
            long due = t0 + rampMs * 1_000_000L * i / count;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int n = i;
            threads.submit(() -> latencies[n] = call(url, request));
        }
        threads.shutdown();
        long bound = rampMs + 2L * READ_TIMEOUT_MS + CONNECT_TIMEOUT_MS;
        if (!threads.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
            threads.shutdownNow();
            outcomes.computeIfAbsent("unfinished", k -> new LongAdder()).add(count - countFinished());
        }
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        long ok = outcomes.getOrDefault("200", new LongAdder()).sum();
        long[] done = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        Map<String, Long> sorted = new TreeMap<>();
        outcomes.forEach((k, v) -> sorted.put(k, v.sum()));
        System.out.printf("%s: %d calls, %d answered 200 with a JSON-RPC result; outcomes %s%n", label, count, ok, sorted);
        System.out.printf("%s: peak in flight %d; latency p50 %d ms, p99 %d ms, max %d ms; wall %d ms%n",
                label, peakInFlight.get(), pct(done, 50), pct(done, 99), pct(done, 100), wallMs);
        System.out.printf("RESULT ok=%d total=%d peak=%d p50=%d p99=%d max=%d%n",
                ok, count, peakInFlight.get(), pct(done, 50), pct(done, 99), pct(done, 100));
        System.exit(0);
    }

    static byte[] request(URI url, String text) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":"
                + "{\"messageId\":\"m1\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + text + "\"}]}}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + (url.getRawPath().isEmpty() ? "/" : url.getRawPath()) + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Authorization: Bearer bench\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    /** One call on its own connection; returns its latency in ms, or -1 when it failed. */
    static long call(URI url, byte[] request) {
        long start = System.nanoTime();
        boolean held = false;
        String phase = "connect";
        String outcome;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), CONNECT_TIMEOUT_MS);
            phase = "send";
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            held = true;
            phase = "answer";
            InputStream in = socket.getInputStream();
            int first = in.read();
            inFlight.decrementAndGet();
            held = false;
            if (first < 0) {
                outcome = "closed-without-answer";
            } else {
                byte[] rest = in.readAllBytes();
                String answer = (char) first + new String(rest, StandardCharsets.UTF_8);
                String status = answer.length() >= 12 ? answer.substring(9, 12) : "malformed";
                outcome = status.equals("200") && !answer.contains("\"result\"") ? "200-without-result" : status;
            }
        } catch (IOException e) {
            if (held) {
                inFlight.decrementAndGet();
            }
            outcome = phase + ":" + e.getClass().getSimpleName();
        }
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        return outcome.equals("200") ? (System.nanoTime() - start) / 1_000_000 : -1;
    }

    static int countFinished() {
        return (int) outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    static long pct(long[] sorted, int p) {
        return Percentiles.of(sorted, p);
    }
}
