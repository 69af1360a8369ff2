package dev.lifeline.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * The agent card: an A2A 0.3 card ({@code url}, {@code protocolVersion}, {@code preferredTransport})
 * that also lists the 1.0 {@code supportedInterfaces}, both JSON-RPC at the same URL.
 */
final class AgentCard {

    static final String AGENT_VERSION = "0.1.0";
    static final String PROTOCOL_VERSION = "0.3.0";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AgentCard() {}

    static ObjectNode of(String name, URI url) {
        ObjectNode card = NODES.objectNode()
                .put("name", name)
                .put("description", "Lifeline reference agent: echoes text back and injects faults on request.")
                .put("url", url.toString())
                .put("version", AGENT_VERSION)
                .put("protocolVersion", PROTOCOL_VERSION)
                .put("preferredTransport", "JSONRPC");
        ArrayNode interfaces = card.putArray("supportedInterfaces");
        interfaces.add(anInterface(url, "1.0"));
        interfaces.add(anInterface(url, "0.3"));
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain");
        card.putArray("skills").add(echoSkill());
        return card;
    }

    private static ObjectNode anInterface(URI url, String protocolVersion) {
        return NODES.objectNode()
                .put("url", url.toString())
                .put("protocolBinding", "JSONRPC")
                .put("protocolVersion", protocolVersion);
    }

    private static ObjectNode echoSkill() {
        ObjectNode skill = NODES.objectNode()
                .put("id", "echo")
                .put("name", "Echo")
                .put(
                        "description",
                        "Answers 'echo: <your text>'. Faults on request: '!status N', '!hang SECONDS', '!exit',"
                                + " '!stream-gaps COUNT SECONDS'.");
        skill.putArray("tags").add("echo").add("testing");
        skill.putArray("examples").add("hello").add("!status 502");
        return skill;
    }
}
