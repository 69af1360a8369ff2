package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.store.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several Lifeline server processes on one real PostgreSQL (the store tests' embedded binaries),
 * behind nginx. Each replica has its own data directory, hence its own server id; agents reach
 * Lifeline through the balancer, as they would in a deployment. Public for {@code bench/ReplicasBench}.
 */
public final class ReplicaFleet implements AutoCloseable {
    public static final String ADMIN_TOKEN = "replicas-admin-token";

    private final Path dir;
    private final PostgresServer postgres;
    private final List<ServerProcess> replicas = new ArrayList<>();
    private final List<String> serverIds = new ArrayList<>();
    private Nginx balancer;

    private ReplicaFleet(Path dir, PostgresServer postgres) {
        this.dir = dir;
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL (its binaries unpacked once under {@code postgresDir}), {@code size} replicas
     * (booting at once) and nginx in front of them, with their files under {@code dir}; the replicas'
     * environment is overlaid by {@code settings}.
     */
    public static ReplicaFleet start(Path dir, Path postgresDir, int size, Map<String, String> settings)
            throws IOException, InterruptedException, SQLException, PostgresServer.Unavailable {
        ReplicaFleet fleet = new ReplicaFleet(dir, PostgresServer.start(postgresDir));
        try {
            fleet.boot(size, settings);
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private void boot(int size, Map<String, String> settings) throws IOException, SQLException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(ServerProcess.freePort());
        }
        Files.createDirectories(dir.resolve("nginx"));
        balancer = Nginx.start(dir.resolve("nginx"), ports);
        Map<String, String> env = new HashMap<>();
        env.put("LIFELINE_DATABASE_URL", postgres.createDatabase());
        env.put("LIFELINE_DATABASE_USER", PostgresServer.SUPERUSER);
        env.put("LIFELINE_PLATFORM_URL", balancer.url());
        env.putAll(settings);
        for (int i = 0; i < size; i++) {
            Path data = Files.createDirectories(dir.resolve("replica-" + i));
            replicas.add(ServerProcess.start(ports.get(i), data, ADMIN_TOKEN, log(i), env));
        }
        for (ServerProcess replica : replicas) {
            serverIds.add(replica.awaitReady().serverId());
        }
    }

    /** The API through the load balancer. */
    ApiClient api() {
        return new ApiClient(balancer.url(), ADMIN_TOKEN);
    }

    public String balancerUrl() {
        return balancer.url();
    }

    ServerProcess replica(int i) {
        return replicas.get(i);
    }

    public String replicaUrl(int i) {
        return replicas.get(i).url();
    }

    /** SIGKILLs replica {@code i} and waits until it is gone. */
    public void crash(int i) throws InterruptedException {
        replicas.get(i).crash();
    }

    /** The workspaces whose live agent replica {@code i} started. */
    public List<String> workspacesWithAgentsOf(int i) {
        return agents().stream()
                .filter(a -> a.serverId().equals(serverIds.get(i)))
                .map(AgentProcesses.Agent::workspaceId)
                .sorted()
                .toList();
    }

    /** Every live agent process labelled by one of this fleet's replicas. */
    List<AgentProcesses.Agent> agents() {
        return AgentProcesses.all().stream()
                .filter(a -> serverIds.contains(a.serverId()))
                .toList();
    }

    /** nginx's error and access logs. */
    public String balancerLogs() throws IOException {
        return balancer == null ? "" : balancer.logs();
    }

    public Path log(int replica) {
        return dir.resolve("replica-" + replica + ".log");
    }

    /** Removes the workspaces, stops the replicas, kills what agents are left, then nginx and PostgreSQL. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            removeWorkspaces();
            for (ServerProcess replica : replicas) {
                replica.stop();
            }
            for (String id : serverIds) {
                AgentProcesses.killAll(id, Duration.ofSeconds(30));
            }
        } finally {
            if (balancer != null) {
                balancer.close();
            }
            postgres.close();
        }
    }

    private void removeWorkspaces() {
        if (balancer == null || replicas.stream().noneMatch(ServerProcess::isAlive)) {
            return;
        }
        ApiClient api = api();
        for (JsonNode w : api.get("/workspaces").json()) {
            api.delete("/workspaces/" + w.get("id").asText());
        }
    }
}
