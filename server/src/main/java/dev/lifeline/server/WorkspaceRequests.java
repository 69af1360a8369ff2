package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import dev.lifeline.core.WorkspaceStatus;
import org.jspecify.annotations.Nullable;

/** Validates the bodies of {@code POST /workspaces} and {@code PATCH /workspaces/{id}} with the reference's field rules. */
final class WorkspaceRequests {
    private static final String HINT = "send {\"name\": \"...\", \"runtime\": \"echo\"}; see README.md for all fields";
    private static final String FORBIDDEN_NAME_CHARS = "{}[]|>*&!";
    /** A year: a larger threshold is a mistake, not a policy. */
    private static final int MAX_IDLE_MINUTES = 525_600;

    private WorkspaceRequests() {}

    /**
     * @param urlPolicy checks the URL of an external workspace and returns the address to connect to
     */
    static NewWorkspace create(
            JsonNode body, String defaultBackend, java.util.function.UnaryOperator<String> urlPolicy) {
        String name = name(body);
        if (name == null) {
            throw new InvalidRequestException("name is required", HINT);
        }
        String role = text(body, "role", 1000, false);
        String runtime = text(body, "runtime", 100, true);
        String backend = text(body, "backend", 100, true);
        boolean external = body.path("external").asBoolean(false) || "external".equals(runtime);
        String url = text(body, "url", 2048, true);
        if (url != null && !external) {
            throw new InvalidRequestException(
                    "url is only accepted for external workspaces", "add \"external\": true, or leave url out");
        }
        Integer tier = tier(body);
        return new NewWorkspace(
                WorkspaceId.random(),
                name,
                role == null || role.isEmpty() ? null : role,
                tier == null ? 2 : tier,
                external ? Workspace.EXTERNAL : runtime == null ? "echo" : runtime,
                external ? Workspace.EXTERNAL : backend == null ? defaultBackend : backend,
                external
                        ? (url == null ? WorkspaceStatus.AWAITING_AGENT : WorkspaceStatus.ONLINE)
                        : WorkspaceStatus.PROVISIONING,
                url == null ? null : urlPolicy.apply(url),
                body.hasNonNull("parent_id") ? parent(body) : null,
                body.hasNonNull("budget_limit") ? budget(body) : null,
                idleMinutes(body));
    }

    /**
     * A missing field keeps its column; {@code null} clears {@code role}, {@code parent_id},
     * {@code budget_limit} and {@code hibernation_idle_minutes}.
     */
    static WorkspacePatch patch(JsonNode body) {
        WorkspacePatch patch = WorkspacePatch.NONE;
        String name = name(body);
        if (name != null) {
            patch = patch.withName(name);
        }
        if (body.has("role")) {
            String role = text(body, "role", 1000, false);
            patch = patch.withRole(Change.toOrClear(role == null || role.isEmpty() ? null : role));
        }
        Integer tier = tier(body);
        if (tier != null) {
            patch = patch.withTier(tier);
        }
        if (body.has("parent_id")) {
            patch = patch.withParentId(Change.toOrClear(parent(body)));
        }
        if (body.has("budget_limit")) {
            patch = patch.withBudgetLimit(Change.toOrClear(budget(body)));
        }
        if (body.has("hibernation_idle_minutes")) {
            patch = patch.withHibernationIdleMinutes(Change.toOrClear(idleMinutes(body)));
        }
        return patch;
    }

    private static @Nullable String name(JsonNode body) {
        String name = text(body, "name", 255, true);
        if (name == null) {
            return null;
        }
        if (name.isBlank()) {
            throw new InvalidRequestException("name must not be blank", HINT);
        }
        for (int i = 0; i < FORBIDDEN_NAME_CHARS.length(); i++) {
            if (name.indexOf(FORBIDDEN_NAME_CHARS.charAt(i)) >= 0) {
                throw new InvalidRequestException("name must not contain any of " + FORBIDDEN_NAME_CHARS, HINT);
            }
        }
        return name;
    }

    private static @Nullable Integer tier(JsonNode body) {
        JsonNode t = body.get("tier");
        if (t == null || t.isNull() || (t.isInt() && t.asInt() == 0)) {
            return null;
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

    private static @Nullable Long budget(JsonNode body) {
        JsonNode b = body.get("budget_limit");
        if (b == null || b.isNull()) {
            return null;
        }
        if (!b.canConvertToLong() || !b.isIntegralNumber() || b.asLong() < 0) {
            throw new InvalidRequestException(
                    "budget_limit must be a whole number of cents, 0 or more",
                    "send e.g. 5000 for $50, or null for no limit");
        }
        return b.asLong();
    }

    /** Minutes of idleness before automatic hibernation; null or 0 disables it. */
    private static @Nullable Integer idleMinutes(JsonNode body) {
        JsonNode m = body.get("hibernation_idle_minutes");
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isInt() || m.asInt() < 0 || m.asInt() > MAX_IDLE_MINUTES) {
            throw new InvalidRequestException(
                    "hibernation_idle_minutes must be a whole number of minutes from 0 to " + MAX_IDLE_MINUTES,
                    "send e.g. 30 to hibernate after half an hour without calls, or 0/null to never hibernate");
        }
        return m.asInt() == 0 ? null : m.asInt();
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
