package dev.lifeline.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the load balancer in front of several Lifeline replicas, with its configuration,
 * logs and temporary files in one directory. The configuration is the one the README recommends:
 *
 * <ul>
 *   <li>round robin, no sticky sessions: every replica serves every route from the shared database;
 *   <li>passive failover: a replica that refuses a connection is skipped for a while and the request
 *       goes to the next one. nginx passes a POST to the next replica only when nothing of it was
 *       sent (a refused or failed connect); once sent, the A2A call may have reached its agent, so it
 *       is not sent twice ({@code non_idempotent} stays off) and the caller gets a 502;
 *   <li>{@code /ws} upgraded to a WebSocket; event streams and A2A replies (which may be SSE) are not
 *       buffered, and none of these long-lived responses is cut off by a read timeout.
 * </ul>
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;
    private final Path dir;

    private Nginx(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The nginx binary, when this machine has one. */
    static Optional<Path> binary() {
        return Files.isExecutable(BINARY) ? Optional.of(BINARY) : Optional.empty();
    }

    /** Starts nginx on a free port in front of {@code replicaPorts} and waits until it accepts connections. */
    static Nginx start(Path dir, List<Integer> replicaPorts) throws IOException {
        Path nginx = binary().orElseThrow(() -> new IOException(BINARY + " is not installed"));
        int port = ServerProcess.freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, port, replicaPorts));
        Process process = new ProcessBuilder(
                        nginx.toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        conf.toString(),
                        "-e",
                        dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("nginx.out").toFile()))
                .start();
        Nginx balancer = new Nginx(process, port, dir);
        await().atMost(java.time.Duration.ofSeconds(20))
                .failFast("nginx exited; see " + dir.resolve("error.log"), () -> !process.isAlive())
                .until(balancer::accepts);
        return balancer;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The balancer's error log (where it records replicas it could not reach) and its access log. */
    String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : java.util.List.of("error.log", "access.log")) {
            Path log = dir.resolve(name);
            logs.append("---- nginx ").append(name).append(" ----\n");
            logs.append(Files.exists(log) ? Files.readString(log) : "").append('\n');
        }
        return logs.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One foreground nginx process (no master, no workers to chase), everything under {@code dir}. */
    static String config(Path dir, int port, List<Integer> replicaPorts) {
        String servers = replicaPorts.stream()
                .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining("\n"));
        return """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                events { worker_connections 1024; }
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream lifeline {
                %2$s
                  }
                  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
                  server {
                    listen 127.0.0.1:%3$d;
                    client_max_body_size 0;
                    proxy_http_version 1.1;
                    proxy_set_header Host $host;
                    proxy_set_header Connection "";
                    proxy_next_upstream error timeout;
                    proxy_connect_timeout 2s;
                    location / { proxy_pass http://lifeline; }
                    location = /ws {
                      proxy_pass http://lifeline;
                      proxy_set_header Host $host;
                      proxy_set_header Upgrade $http_upgrade;
                      proxy_set_header Connection $connection_upgrade;
                      proxy_read_timeout 1h;
                    }
                    location ~ ^/workspaces/[^/]+/(events/stream|a2a)$ {
                      proxy_pass http://lifeline;
                      proxy_buffering off;
                      proxy_read_timeout 1h;
                    }
                  }
                }
                """.formatted(dir, servers, port);
    }
}
