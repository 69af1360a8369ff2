// Measures the Docker backend: how long a workspace takes to come online in a container, and how
// fast Lifeline notices `docker kill` and brings the agent back; the baseline is a plain `docker run`
// of the same image until its agent card answers, in the same run. Run with: bench/docker.sh
import dev.lifeline.server.LifelineServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class DockerBench {
    static final String IMAGE = "lifeline/reference-agent:bench";
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String CALL =
            "{\"method\":\"SendMessage\",\"params\":{\"message\":{\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hi\"}]}}}";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            plain.add(plainDockerRun());
        }
        Map<String, String> settings = Map.of(
                "LIFELINE_BIND", "0.0.0.0",
                "LIFELINE_BACKEND", "docker",
                "LIFELINE_DOCKER_HOST", System.getenv("DOCKER_HOST"),
                "LIFELINE_DOCKER_NETWORK", "lifeline-bench",
                "LIFELINE_IMAGE_ECHO", IMAGE);
        try (LifelineServer server = Bench.start("bench", settings)) {
            Bench.Api api = Bench.Api.of(server);
            Bench.Events events = Bench.Events.of(server);
            List<Long> cold = new ArrayList<>(), offline = new ArrayList<>(), online = new ArrayList<>();
            List<Long> heldCall = new ArrayList<>();
            int heldAnswered = 0;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                String id = api.create("{\"name\":\"bench-" + i + "\",\"runtime\":\"echo\"}");
                events.await(id, "WORKSPACE_ONLINE", WAIT);
                cold.add(System.nanoTime() - t0);
                String container = api.get("/workspaces/" + id).get("instance_ref").asText();
                long k = System.nanoTime();
                docker("kill", container);
                // a call sent the moment the agent dies, as a canvas would: it waits for the next container
                var call = Bench.HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(api.base() + "/workspaces/" + id + "/a2a"))
                                .header("Authorization", "Bearer " + api.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(CALL))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                events.await(id, "WORKSPACE_OFFLINE", WAIT);
                offline.add(System.nanoTime() - k);
                events.await(id, "WORKSPACE_ONLINE", WAIT);
                online.add(System.nanoTime() - k);
                HttpResponse<String> answer = call.get();
                heldCall.add(System.nanoTime() - k);
                if (answer.statusCode() == 200 && answer.headers().firstValue("X-Lifeline-Held-Ms").isPresent()) {
                    heldAnswered++;
                }
                api.delete("/workspaces/" + id);
                String volumes = docker("volume", "ls", "-q", "--filter", "label=dev.lifeline.workspace-id=" + id);
                for (String volume : volumes.split("\\s+")) {
                    if (!volume.isBlank()) docker("volume", "rm", volume);
                }
            }
            long plainMs = Percentiles.millis(plain, 50), coldMs = Percentiles.millis(cold, 50);
            long offlineMs = Percentiles.millis(offline, 50), onlineMs = Percentiles.millis(online, 50);
            System.out.printf("rounds: %d%n", rounds);
            System.out.printf("baseline: docker run -> agent card answers, median %d ms%n", plainMs);
            System.out.printf("create -> WORKSPACE_ONLINE, median %d ms (%.2f x docker run)%n",
                    coldMs, (double) coldMs / plainMs);
            System.out.printf("docker kill -> WORKSPACE_OFFLINE, median %d ms (%.4f x the reference's 15000 ms sweep)%n",
                    offlineMs, offlineMs / 15000.0);
            System.out.printf("docker kill -> WORKSPACE_ONLINE, median %d ms (%.2f x docker run)%n",
                    onlineMs, (double) onlineMs / plainMs);
            System.out.printf("a call sent at the kill: %d of %d answered 200 after waiting, kill -> answer median %d ms, max %d ms%n",
                    heldAnswered, rounds, Percentiles.millis(heldCall, 50), Percentiles.millis(heldCall, 100));
        }
    }

    /** A container of the same image, started by hand, until its agent card answers. */
    static long plainDockerRun() throws Exception {
        long t0 = System.nanoTime();
        String id = docker("run", "-d", "-p", "127.0.0.1::8000", IMAGE);
        String port = docker("port", id, "8000/tcp").lines().findFirst().orElseThrow().replaceAll(".*:", "");
        HttpRequest card = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/.well-known/agent-card.json"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (Bench.HTTP.send(card, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        long elapsed = System.nanoTime() - t0;
        docker("rm", "-f", id);
        return elapsed;
    }

    static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
        return out.strip();
    }
}
