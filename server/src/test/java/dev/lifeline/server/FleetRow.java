package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the API says about one workspace, for tests that watch a whole fleet. */
record FleetRow(String status, long generation, String instanceRef) {

    /** Every live workspace by id, as {@code GET /workspaces} lists them. */
    static Map<String, FleetRow> all(ApiClient api) {
        Map<String, FleetRow> rows = new LinkedHashMap<>();
        for (JsonNode w : api.get("/workspaces").json()) {
            rows.put(
                    w.get("id").asText(),
                    new FleetRow(
                            w.get("status").asText(),
                            w.get("generation").asLong(),
                            w.path("instance_ref").asText("")));
        }
        return rows;
    }
}
