package dev.lifeline.server;

import static dev.lifeline.server.InputLimits.CANVAS_COORDINATE;
import static dev.lifeline.server.InputLimits.KIND_CHARS;
import static dev.lifeline.server.InputLimits.MAX_IDLE_MINUTES;
import static dev.lifeline.server.InputLimits.MAX_TIER;
import static dev.lifeline.server.InputLimits.MIN_TIER;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.CanvasPosition;
import dev.lifeline.core.InvalidRequestException;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspacePatch;
import dev.lifeline.core.WorkspacePatch.Change;
import dev.lifeline.core.WorkspaceStatus;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Validates the bodies of {@code POST /workspaces} and {@code PATCH /workspaces/{id}} with the
 * reference's field rules; every field has its type and range, and a wrong one is a 400 naming it.
 */
final class WorkspaceRequests {
    private static final String HINT = "send {\"name\": \"...\", \"runtime\": \"echo\"}; see README.md for all fields";
    private static final String FORBIDDEN_NAME_CHARS = "{}[]|>*&!";
    private static final int DEFAULT_TIER = 2;

    private WorkspaceRequests() {}

    /**
     * Which runtime and backend exist is for the service to judge; this checks their form.
     *
     * @param urlPolicy checks the URL of an external workspace and returns the address to connect to
     */
    static NewWorkspace create(JsonNode body, String defaultBackend, UnaryOperator<String> urlPolicy) {
        BodyFields fields = new BodyFields(body, HINT);
        String name = name(fields);
        if (name == null) {
            throw new InvalidRequestException("name is required", HINT);
        }
        String role = role(fields);
        String runtime = fields.line("runtime", KIND_CHARS);
        String backend = fields.line("backend", KIND_CHARS);
        boolean external = Boolean.TRUE.equals(fields.bool("external")) || Workspace.EXTERNAL.equals(runtime);
        requireBackendMatches(backend, external);
        String url = fields.line("url", InputLimits.URL_CHARS);
        if (url != null && !external) {
            throw new InvalidRequestException(
                    "url is only accepted for external workspaces", "add \"external\": true, or leave url out");
        }
        Integer tier = tier(fields);
        return new NewWorkspace(
                WorkspaceId.random(),
                name,
                role,
                tier == null ? DEFAULT_TIER : tier,
                external ? Workspace.EXTERNAL : runtime == null ? "echo" : runtime,
                external ? Workspace.EXTERNAL : backend == null ? defaultBackend : backend,
                external
                        ? (url == null ? WorkspaceStatus.AWAITING_AGENT : WorkspaceStatus.ONLINE)
                        : WorkspaceStatus.PROVISIONING,
                url == null ? null : urlPolicy.apply(url),
                parent(fields),
                budget(fields),
                idleMinutes(fields),
                createdAt(fields));
    }

    /** The canvas sends where it first draws the node as {@code canvas: {x, y}}; absent, the origin. */
    private static CanvasPosition createdAt(BodyFields fields) {
        JsonNode canvas = fields.object("canvas", InputLimits.CANVAS_OBJECT_BYTES);
        if (canvas == null) {
            return CanvasPosition.ORIGIN;
        }
        CanvasPosition position = position(fields.nested(canvas, "canvas"));
        return position == null ? CanvasPosition.ORIGIN : position;
    }

    /** {@code x} and {@code y}, sent together or not at all. */
    private static @Nullable CanvasPosition position(BodyFields fields) {
        Double x = fields.number("x", -CANVAS_COORDINATE, CANVAS_COORDINATE);
        Double y = fields.number("y", -CANVAS_COORDINATE, CANVAS_COORDINATE);
        if (x == null && y == null) {
            return null;
        }
        if (x == null || y == null) {
            throw fields.invalid(x == null ? "x" : "y", "must be sent with " + (x == null ? "y" : "x"));
        }
        return new CanvasPosition(x, y);
    }

    /** Lifeline runs no agent for an external workspace, and runs one for every other workspace. */
    private static void requireBackendMatches(@Nullable String backend, boolean external) {
        if (backend == null) {
            return;
        }
        if (!external && backend.equals(Workspace.EXTERNAL)) {
            throw new InvalidRequestException(
                    "backend 'external' is only for external workspaces",
                    "send \"external\": true for an agent you run yourself, or leave backend out");
        }
        if (external && !backend.equals(Workspace.EXTERNAL)) {
            throw new InvalidRequestException(
                    "backend '" + backend + "' cannot run an external workspace",
                    "leave backend out: Lifeline runs no agent for an external workspace");
        }
    }

    /**
     * A missing field keeps its column; {@code null} clears {@code role}, {@code parent_id},
     * {@code budget_limit} and {@code hibernation_idle_minutes}. The canvas's layout comes as {@code
     * x} with {@code y} and as {@code collapsed}.
     */
    static WorkspacePatch patch(JsonNode body) {
        BodyFields fields = new BodyFields(body, HINT);
        WorkspacePatch patch = WorkspacePatch.NONE;
        String name = name(fields);
        if (name != null) {
            patch = patch.withName(name);
        }
        if (fields.sent("role")) {
            patch = patch.withRole(Change.toOrClear(role(fields)));
        }
        Integer tier = tier(fields);
        if (tier != null) {
            patch = patch.withTier(tier);
        }
        if (fields.sent("parent_id")) {
            patch = patch.withParentId(Change.toOrClear(parent(fields)));
        }
        if (fields.sent("budget_limit")) {
            patch = patch.withBudgetLimit(Change.toOrClear(budget(fields)));
        }
        if (fields.sent("hibernation_idle_minutes")) {
            patch = patch.withHibernationIdleMinutes(Change.toOrClear(idleMinutes(fields)));
        }
        CanvasPosition position = position(fields);
        if (position != null) {
            patch = patch.withPosition(position);
        }
        Boolean collapsed = fields.bool("collapsed");
        if (collapsed != null) {
            patch = patch.withCollapsed(collapsed);
        }
        return patch;
    }

    private static @Nullable String name(BodyFields fields) {
        String name = fields.line("name", InputLimits.NAME_CHARS);
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

    /** An empty role is no role. */
    private static @Nullable String role(BodyFields fields) {
        String role = fields.text("role", InputLimits.ROLE_CHARS);
        return role == null || role.isEmpty() ? null : role;
    }

    private static @Nullable Integer tier(BodyFields fields) {
        Long tier = fields.whole("tier", MIN_TIER, MAX_TIER);
        return tier == null ? null : tier.intValue();
    }

    /** A workspace id, or null (or an empty string) for a root workspace. */
    private static @Nullable WorkspaceId parent(BodyFields fields) {
        try {
            String parent = fields.line("parent_id", InputLimits.ID_CHARS);
            return parent == null || parent.isEmpty() ? null : WorkspaceId.parse(parent);
        } catch (InvalidRequestException e) {
            throw fields.invalid("parent_id", "must be the id of a workspace, or null for a root workspace");
        }
    }

    private static @Nullable Long budget(BodyFields fields) {
        return fields.whole(
                "budget_limit",
                0,
                Long.MAX_VALUE,
                "must be a whole number of cents, 0 or more",
                "send e.g. 5000 for $50, or null for no limit");
    }

    /** Minutes of idleness before automatic hibernation; null or 0 disables it. */
    private static @Nullable Integer idleMinutes(BodyFields fields) {
        Long minutes = fields.whole(
                "hibernation_idle_minutes",
                0,
                MAX_IDLE_MINUTES,
                "must be a whole number of minutes from 0 to " + MAX_IDLE_MINUTES,
                "send e.g. 30 to hibernate after half an hour without calls, or 0/null to never hibernate");
        return minutes == null || minutes == 0 ? null : minutes.intValue();
    }
}
