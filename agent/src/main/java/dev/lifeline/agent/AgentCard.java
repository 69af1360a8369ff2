package dev.lifeline.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * The agent card, in the two shapes the official SDKs serve.
 *
 * <p>{@link #current} is an A2A 1.0 card and nothing more (the 1.0 schema admits no other fields):
 * one JSON-RPC endpoint declared twice in {@code supportedInterfaces}, at protocol version 1.0 and
 * 0.3, so that a 1.0 client with 0.3 support sees both. {@link #legacy} is the same card for 0.3
 * clients, which need the 0.3 top-level {@code url}, {@code preferredTransport}, {@code
 * protocolVersion} and {@code additionalInterfaces}; it keeps {@code supportedInterfaces} too, as
 * the JavaScript SDK's compatibility layer does.
 */
final class AgentCard {

    static final String AGENT_VERSION = "0.1.0";
    static final String LEGACY_PROTOCOL_VERSION = "0.3.0";
    static final String JSONRPC = "JSONRPC";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AgentCard() {}

    /** The A2A 1.0 card. */
    static ObjectNode current(String name, URI url) {
        ObjectNode card = NODES.objectNode()
                .put("name", name)
                .put("description", "Lifeline reference agent: echoes text back and injects faults on request.");
        ArrayNode interfaces = card.putArray("supportedInterfaces");
        for (String version : Negotiation.VERSIONS.reversed()) {
            interfaces
                    .addObject()
                    .put("url", url.toString())
                    .put("protocolBinding", JSONRPC)
                    .put("protocolVersion", version);
        }
        card.put("version", AGENT_VERSION);
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        card.putArray("defaultInputModes").add(Params.TEXT);
        card.putArray("defaultOutputModes").add(Params.TEXT);
        card.putArray("skills").add(echoSkill());
        return card;
    }

    /** The card for A2A 0.3 clients: the 1.0 card plus the 0.3 fields that locate the endpoint. */
    static ObjectNode legacy(String name, URI url) {
        ObjectNode card = current(name, url);
        card.put("url", url.toString())
                .put("preferredTransport", JSONRPC)
                .put("protocolVersion", LEGACY_PROTOCOL_VERSION);
        card.putArray("additionalInterfaces")
                .addObject()
                .put("url", url.toString())
                .put("transport", JSONRPC);
        return card;
    }

    private static ObjectNode echoSkill() {
        ObjectNode skill = NODES.objectNode()
                .put("id", "echo")
                .put("name", "Echo")
                .put(
                        "description",
                        "Answers 'echo: <your text>'. Faults on request: '!status N', '!hang SECONDS', '!exit',"
                                + " '!stream-gaps COUNT SECONDS', '!silence'.");
        skill.putArray("tags").add("echo").add("testing");
        skill.putArray("examples").add("hello").add("!status 502");
        return skill;
    }
}
