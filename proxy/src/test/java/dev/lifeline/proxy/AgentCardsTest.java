package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The card Lifeline serves is the agent's card with its endpoints pointing at the proxy and the
 * proxy's bearer token declared in the security fields of the card's own version; nothing else.
 */
class AgentCardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROXY = "http://lifeline.test/workspaces/w1/a2a";
    private static final String CURRENT = """
            {"name":"echo","description":"d","supportedInterfaces":[
              {"url":"http://10.0.0.5:8000","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
              {"url":"http://10.0.0.5:8000","protocolBinding":"JSONRPC","protocolVersion":"0.3"}],
             "version":"1","capabilities":{"streaming":true},"defaultInputModes":["text/plain"],
             "defaultOutputModes":["text/plain"],"skills":[{"id":"s","name":"s","description":"s","tags":["t"]}]}""";
    private static final String LEGACY = """
            {"name":"echo","description":"d","url":"http://10.0.0.5:8000","preferredTransport":"JSONRPC",
             "protocolVersion":"0.3.0","additionalInterfaces":[{"url":"http://10.0.0.5:8000","transport":"JSONRPC"}],
             "version":"1","capabilities":{},"defaultInputModes":[],"defaultOutputModes":[],"skills":[]}""";

    private static ObjectNode served(String card) throws Exception {
        return (ObjectNode) JSON.readTree(AgentCards.pointAt(card, PROXY));
    }

    @Test
    void aCurrentCardGetsNoUrlOfItsOwnAndEveryInterfacePointsAtTheProxy() throws Exception {
        ObjectNode card = served(CURRENT);

        assertThat(card.has("url")).isFalse();
        assertThat(card.get("supportedInterfaces"))
                .extracting(i -> i.get("url").asText())
                .containsExactly(PROXY, PROXY);
    }

    @Test
    void aCurrentCardChangesOnlyInItsInterfaceUrlsAndItsSecurity() throws Exception {
        ObjectNode card = served(CURRENT);
        ObjectNode original = (ObjectNode) JSON.readTree(CURRENT);

        card.remove("securitySchemes");
        card.remove("securityRequirements");
        card.get("supportedInterfaces").forEach(i -> ((ObjectNode) i).put("url", "http://10.0.0.5:8000"));
        assertThat(card).isEqualTo(original);
    }

    @Test
    void aCurrentCardDeclaresTheProxysBearerTokenInThe10Shape() throws Exception {
        ObjectNode card = served(CURRENT);

        assertThat(card.at("/securitySchemes/lifeline/httpAuthSecurityScheme/scheme")
                        .asText())
                .isEqualTo("Bearer");
        assertThat(card.get("securityRequirements"))
                .containsExactly(JSON.readTree("{\"schemes\":{\"lifeline\":{\"list\":[]}}}"));
        assertThat(card.has("security")).isFalse();
    }

    @Test
    void aLegacyCardHasItsUrlAndAdditionalInterfacesPointedAtTheProxy() throws Exception {
        ObjectNode card = served(LEGACY);

        assertThat(card.get("url").asText()).isEqualTo(PROXY);
        assertThat(card.at("/additionalInterfaces/0/url").asText()).isEqualTo(PROXY);
        assertThat(card.has("supportedInterfaces")).isFalse();
    }

    @Test
    void aLegacyCardDeclaresTheProxysBearerTokenInThe03Shape() throws Exception {
        ObjectNode card = served(LEGACY);

        assertThat(card.at("/securitySchemes/lifeline/type").asText()).isEqualTo("http");
        assertThat(card.at("/securitySchemes/lifeline/scheme").asText()).isEqualTo("bearer");
        assertThat(card.get("security")).containsExactly(JSON.readTree("{\"lifeline\":[]}"));
        assertThat(card.has("securityRequirements")).isFalse();
    }

    @Test
    void theAgentsOwnSchemesStayButOnlyTheProxysTokenIsRequired() throws Exception {
        ObjectNode own = (ObjectNode) JSON.readTree(CURRENT);
        own.putObject("securitySchemes").putObject("agentKey").putObject("apiKeySecurityScheme");
        own.putArray("securityRequirements").addObject().putObject("schemes").putObject("agentKey");

        ObjectNode card = served(JSON.writeValueAsString(own));

        assertThat(card.get("securitySchemes").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("agentKey", "lifeline");
        JsonNode requirements = card.get("securityRequirements");
        assertThat(requirements).hasSize(1);
        assertThat(requirements.get(0).get("schemes").has("lifeline")).isTrue();
        assertThat(requirements.get(0).get("schemes").has("agentKey")).isFalse();
    }
}
