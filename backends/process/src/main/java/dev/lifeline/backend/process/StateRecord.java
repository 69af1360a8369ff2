package dev.lifeline.backend.process;

import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.WorkspaceId;
import java.util.Properties;

/** What the backend remembers on disk about one process it started, so a restarted server finds it. */
record StateRecord(WorkspaceId id, long generation, String serverId, PidRef process, int port) {

    Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("workspace_id", id.toString());
        properties.setProperty("generation", Long.toString(generation));
        properties.setProperty("server_id", serverId);
        properties.setProperty("pid", Long.toString(process.pid()));
        properties.setProperty("start_epoch_millis", Long.toString(process.startMillis()));
        properties.setProperty("port", Integer.toString(port));
        return properties;
    }

    /** Reads a record; throws {@link IllegalArgumentException} naming the first missing or bad key. */
    static StateRecord fromProperties(Properties properties) {
        return new StateRecord(
                WorkspaceId.parse(required(properties, "workspace_id")),
                Long.parseLong(required(properties, "generation")),
                required(properties, "server_id"),
                new PidRef(
                        Long.parseLong(required(properties, "pid")),
                        Long.parseLong(required(properties, "start_epoch_millis"))),
                Integer.parseInt(required(properties, "port")));
    }

    OwnedInstance owned() {
        return new OwnedInstance(id, generation, process.toRef());
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing key " + key);
        }
        return value;
    }
}
