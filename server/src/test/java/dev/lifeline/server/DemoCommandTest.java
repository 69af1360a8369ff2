package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code lifeline demo} as a person runs it: in its own JVM, ended with Ctrl-C (SIGINT). */
class DemoCommandTest {
    private static final Duration DEMO = Duration.ofSeconds(120);
    private static final Pattern DASHBOARD =
            Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:\\d+/) .* sign in with the admin token (\\S+)");
    private static final Pattern DATA_DIR = Pattern.compile("\\(data in (\\S+)\\)");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process demo;

    @AfterEach
    void stopTheDemo() {
        if (demo != null) {
            demo.destroyForcibly();
        }
    }

    @Test
    void theDemoLeavesItsDashboardOpenAndCtrlCRemovesItsAgents() throws Exception {
        Assumptions.assumeTrue(AgentProcesses.readable(), "needs /proc to see the agents");
        demo = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "demo",
                        "--agents",
                        "1")
                .redirectErrorStream(true)
                .start();
        Thread.ofVirtual().start(this::readOutput);

        await().atMost(DEMO).until(() -> output.stream().anyMatch(l -> l.contains("Press Ctrl-C")));
        Matcher link = find(DASHBOARD);
        Path dataDir = Path.of(find(DATA_DIR).group(1));
        String serverId = AgentProcesses.serverIdOf(dataDir);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(link.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> signIn = http.send(
                HttpRequest.newBuilder(URI.create(link.group(1) + "session"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + link.group(2) + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>Lifeline</title>");
        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(AgentProcesses.labelledBy(serverId)).hasSize(1);

        new ProcessBuilder("kill", "-INT", String.valueOf(demo.pid())).start().waitFor();

        assertThat(demo.waitFor(DEMO.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("removed the demo workspaces; done.");
        assertThat(dataDir).doesNotExist();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> AgentProcesses.labelledBy(serverId).isEmpty());
    }

    private Matcher find(Pattern pattern) {
        return output.stream()
                .map(pattern::matcher)
                .filter(Matcher::find)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line matches " + pattern + " in " + output));
    }

    private void readOutput() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(output::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
