package dev.lifeline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Rewrites an agent card for the callers of the proxy, so that A2A clients given the proxy's address
 * never go around it and know what it asks of them. Only the endpoint fields the card has are
 * rewritten: the 1.0 {@code supportedInterfaces[].url}, the 0.3 {@code url} and {@code
 * additionalInterfaces[].url}. And the card declares the bearer token the proxy requires, as {@link
 * #SCHEME}, in the security fields of the card's own version; it becomes the card's only requirement,
 * since the agent's own credentials never cross the proxy. Nothing else is added or changed.
 */
public final class AgentCards {
    /** The name of the proxy's security scheme in a card it serves. */
    public static final String SCHEME = "lifeline";

    private static final String DESCRIPTION =
            "Lifeline's token: the operator's admin token, or a workspace's own token sent with X-Workspace-ID";
    /** Top-level fields that only a 0.3 card has; the 1.0 schema admits none of them. */
    private static final List<String> LEGACY_FIELDS =
            List.of("url", "preferredTransport", "additionalInterfaces", "protocolVersion");

    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentCards() {}

    public static String pointAt(String cardJson, String proxyUrl) {
        try {
            if (!(JSON.readTree(cardJson) instanceof ObjectNode card)) {
                return cardJson;
            }
            if (card.has("url")) {
                card.put("url", proxyUrl);
            }
            rewriteUrls(card.path("supportedInterfaces"), proxyUrl);
            rewriteUrls(card.path("additionalInterfaces"), proxyUrl);
            if (LEGACY_FIELDS.stream().anyMatch(card::has)) {
                requireBearerLegacy(card);
            } else {
                requireBearer(card);
            }
            return JSON.writeValueAsString(card);
        } catch (IOException e) {
            throw new UncheckedIOException("stored agent card is not JSON", e);
        }
    }

    private static void rewriteUrls(JsonNode interfaces, String proxyUrl) {
        for (JsonNode iface : interfaces) {
            if (iface instanceof ObjectNode i && i.has("url")) {
                i.put("url", proxyUrl);
            }
        }
    }

    /** A2A 1.0: an {@code HTTPAuthSecurityScheme} and one {@code SecurityRequirement} naming it. */
    private static void requireBearer(ObjectNode card) {
        schemes(card)
                .putObject(SCHEME)
                .putObject("httpAuthSecurityScheme")
                .put("scheme", "Bearer")
                .put("description", DESCRIPTION);
        card.putArray("securityRequirements")
                .addObject()
                .putObject("schemes")
                .putObject(SCHEME)
                .putArray("list");
    }

    /** A2A 0.3: an {@code http} scheme of type bearer and one {@code security} entry naming it. */
    private static void requireBearerLegacy(ObjectNode card) {
        schemes(card)
                .putObject(SCHEME)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", DESCRIPTION);
        card.putArray("security").addObject().putArray(SCHEME);
    }

    /** The card's own schemes stay, so that its skills' requirements still name schemes it declares. */
    private static ObjectNode schemes(ObjectNode card) {
        return card.get("securitySchemes") instanceof ObjectNode schemes ? schemes : card.putObject("securitySchemes");
    }
}
