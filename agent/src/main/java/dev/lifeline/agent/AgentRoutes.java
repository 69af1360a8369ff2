package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** Routes every request: the agent card, a health check and the A2A JSON-RPC endpoint. */
final class AgentRoutes implements HttpHandler {

    static final String CARD_PATH = "/.well-known/agent-card.json";
    static final String LEGACY_CARD_PATH = "/.well-known/agent.json";

    private final CardResource card;
    private final A2aEndpoint a2a;
    private final Json json;
    private final AgentLog log;

    AgentRoutes(CardResource card, A2aEndpoint a2a, Json json, AgentLog log) {
        this.card = card;
        this.a2a = a2a;
        this.json = json;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (IOException | RuntimeException e) {
            log.info("request " + exchange.getRequestMethod() + " failed: "
                    + e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/", "/a2a", "/a2a/" -> {
                if (allowed(exchange, "POST")) {
                    a2a.handle(exchange);
                }
            }
            case CARD_PATH, LEGACY_CARD_PATH -> {
                if (allowed(exchange, "GET")) {
                    logged(exchange, card.serve(exchange, path.equals(LEGACY_CARD_PATH)));
                }
            }
            case "/health" -> {
                if (allowed(exchange, "GET")) {
                    answer(exchange, 200, json.object().put("status", "ok"));
                }
            }
            default -> answer(exchange, 404, json.object().put("error", "not found"));
        }
    }

    private boolean allowed(HttpExchange exchange, String method) throws IOException {
        if (exchange.getRequestMethod().equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", method);
        answer(exchange, 405, json.object().put("error", "method not allowed"));
        return false;
    }

    private void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        HttpIo.sendJson(exchange, status, body, json);
        logged(exchange, status);
    }

    private void logged(HttpExchange exchange, int status) {
        log.info("request " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawPath() + " status=" + status);
    }
}
