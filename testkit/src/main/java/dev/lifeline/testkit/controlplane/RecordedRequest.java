package dev.lifeline.testkit.controlplane;

import java.util.Map;
import java.util.Optional;

/**
 * One request the fake control plane received.
 *
 * @param headers header values by lower-case name (the first value of each)
 * @param query the decoded query parameters
 */
public record RecordedRequest(
        String method, String path, Map<String, String> query, Map<String, String> headers, String body) {

    public RecordedRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }
}
