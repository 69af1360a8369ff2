package dev.lifeline.server;

import dev.lifeline.core.WorkspaceId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the operator's agent needs to join an external workspace, returned once at its creation:
 * the id, where to register and heartbeat, the token, and two ready-to-run snippets. The snippets
 * leave the token as a placeholder line that the canvas fills in from {@code auth_token}.
 */
final class ExternalConnection {
    static final String TOKEN_PLACEHOLDER = "<paste from create response>";

    private static final String CURL = """
            # Registers your agent with Lifeline, then sends one heartbeat; repeat the heartbeat every
            # 30 seconds, or Lifeline marks the workspace offline. Set AGENT_URL to the address where
            # Lifeline reaches your agent's A2A endpoint.
            export WORKSPACE_AUTH_TOKEN="<paste from create response>"
            export AGENT_URL="https://agent.example.com"

            curl -fsS -X POST "{{PLATFORM_URL}}/registry/register" \\
              -H "Authorization: Bearer $WORKSPACE_AUTH_TOKEN" -H "Content-Type: application/json" \\
              -d '{"id": "{{WORKSPACE_ID}}", "url": "'"$AGENT_URL"'", "agent_card": {"name": "my-agent"}}'

            curl -fsS -X POST "{{PLATFORM_URL}}/registry/heartbeat" \\
              -H "Authorization: Bearer $WORKSPACE_AUTH_TOKEN" -H "Content-Type: application/json" \\
              -d '{"workspace_id": "{{WORKSPACE_ID}}", "active_tasks": 0}'
            """;

    private static final String PYTHON = """
            # Registers your agent with Lifeline and heartbeats every 30 seconds, with Python 3's
            # standard library only. Set AGENT_URL to where Lifeline reaches your agent's A2A endpoint.
            import json
            import time
            import urllib.request

            WORKSPACE_ID  = "{{WORKSPACE_ID}}"
            PLATFORM_URL  = "{{PLATFORM_URL}}"
            AUTH_TOKEN    = "<paste from create response>"
            AGENT_URL     = "https://agent.example.com"


            def post(path, body):
                request = urllib.request.Request(
                    PLATFORM_URL + path,
                    data=json.dumps(body).encode(),
                    headers={"Authorization": "Bearer " + AUTH_TOKEN, "Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return json.load(answer)


            post("/registry/register", {"id": WORKSPACE_ID, "url": AGENT_URL, "agent_card": {"name": "my-agent"}})
            while True:
                time.sleep(30)
                post("/registry/heartbeat", {"workspace_id": WORKSPACE_ID, "active_tasks": 0})
            """;

    private ExternalConnection() {}

    /** @param platformUrl where agents reach Lifeline, without a trailing slash */
    static Map<String, Object> of(WorkspaceId id, String platformUrl, String token) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("workspace_id", id.toString());
        c.put("platform_url", platformUrl);
        c.put("auth_token", token);
        c.put("registry_endpoint", platformUrl + "/registry/register");
        c.put("heartbeat_endpoint", platformUrl + "/registry/heartbeat");
        c.put("curl_register_template", fill(CURL, id, platformUrl));
        c.put("python_snippet", fill(PYTHON, id, platformUrl));
        return c;
    }

    private static String fill(String template, WorkspaceId id, String platformUrl) {
        return template.replace("{{WORKSPACE_ID}}", id.toString()).replace("{{PLATFORM_URL}}", platformUrl);
    }
}
