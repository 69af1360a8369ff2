package dev.lifeline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Rewrites an agent card so that every endpoint in it points at the proxy, not at the agent: A2A
 * clients given the proxy's address then never go around it. Both the 0.3 {@code url} and each 1.0
 * {@code supportedInterfaces[].url} are rewritten.
 */
public final class AgentCards {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentCards() {}

    public static String pointAt(String cardJson, String proxyUrl) {
        try {
            JsonNode card = JSON.readTree(cardJson);
            if (!(card instanceof ObjectNode object)) {
                return cardJson;
            }
            object.put("url", proxyUrl);
            for (JsonNode iface : object.path("supportedInterfaces")) {
                if (iface instanceof ObjectNode i && i.has("url")) {
                    i.put("url", proxyUrl);
                }
            }
            return JSON.writeValueAsString(object);
        } catch (IOException e) {
            throw new UncheckedIOException("stored agent card is not JSON", e);
        }
    }
}
