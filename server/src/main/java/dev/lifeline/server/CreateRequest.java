package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import org.jspecify.annotations.Nullable;

/** Validates the body of {@code POST /workspaces} with the reference's field rules. */
final class CreateRequest {
    private static final String HINT = "send {\"name\": \"...\", \"runtime\": \"echo\"}; see README.md for all fields";
    private static final String FORBIDDEN_NAME_CHARS = "{}[]|>*&!";

    private CreateRequest() {}

    static NewWorkspace parse(JsonNode body, String defaultBackend) {
        String name = text(body, "name", 255, true);
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("name is required", HINT);
        }
        for (int i = 0; i < FORBIDDEN_NAME_CHARS.length(); i++) {
            if (name.indexOf(FORBIDDEN_NAME_CHARS.charAt(i)) >= 0) {
                throw new InvalidRequestException("name must not contain any of " + FORBIDDEN_NAME_CHARS, HINT);
            }
        }
        String role = text(body, "role", 1000, false);
        String runtime = text(body, "runtime", 100, true);
        String backend = text(body, "backend", 100, true);
        if (body.path("external").asBoolean(false) || "external".equals(runtime)) {
            throw new InvalidRequestException(
                    "external workspaces are not supported by this server yet",
                    "create a workspace with a runtime that Lifeline runs, e.g. \"echo\"");
        }
        return new NewWorkspace(
                WorkspaceId.random(),
                name,
                role == null || role.isEmpty() ? null : role,
                tier(body),
                runtime == null ? "echo" : runtime,
                backend == null ? defaultBackend : backend,
                WorkspaceStatus.PROVISIONING,
                null,
                parent(body),
                null);
    }

    private static int tier(JsonNode body) {
        JsonNode t = body.get("tier");
        if (t == null || t.isNull() || (t.isInt() && t.asInt() == 0)) {
            return 2;
        }
        if (!t.isInt() || t.asInt() < 1 || t.asInt() > 4) {
            throw new InvalidRequestException("tier must be an integer from 1 to 4", HINT);
        }
        return t.asInt();
    }

    private static @Nullable WorkspaceId parent(JsonNode body) {
        JsonNode p = body.get("parent_id");
        if (p == null || p.isNull() || p.asText().isEmpty()) {
            return null;
        }
        return WorkspaceId.parse(p.asText());
    }

    private static @Nullable String text(JsonNode body, String field, int max, boolean singleLine) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field + " must be a string", HINT);
        }
        String s = v.asText();
        if (s.length() > max) {
            throw new InvalidRequestException(field + " must be at most " + max + " characters", HINT);
        }
        if (singleLine && (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)) {
            throw new InvalidRequestException(field + " must not contain line breaks", HINT);
        }
        return s;
    }
}
