package dev.lifeline.core;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A workspace row: one agent, the backend that runs it and where its current incarnation is.
 *
 * @param backend the name of the {@link Provisioner} that owns it ({@code external} for none)
 * @param instanceRef the backend's handle of the current instance, if one was started
 * @param generation incremented at every provision; evidence from an older generation is ignored
 * @param url the A2A endpoint the proxy forwards to, once known
 * @param budgetLimit the monthly spending ceiling in cents; null means unlimited
 * @param monthlySpend the spend in cents the agent last reported
 * @param currentTask what the agent last said it was working on
 * @param lastSampleError the error the agent last reported as a sample
 * @param hibernationIdleMinutes hibernate after this many idle minutes; null means never
 * @param position where the operator's canvas draws the workspace
 * @param collapsed whether the canvas draws the workspace with its children folded away
 * @param restart the automatic-restart streak and the pending restart, if any
 * @param onlineSince when the current generation first came online; null if it has not yet
 * @param startedBy the host (for host-local backends, where its process ids mean something) of the server that started the current instance; null when none was
 *     recorded (no instance yet, or one started before servers recorded it)
 */
public record Workspace(
        WorkspaceId id,
        String name,
        @Nullable String role,
        int tier,
        String runtime,
        String backend,
        WorkspaceStatus status,
        @Nullable String url,
        @Nullable InstanceRef instanceRef,
        long generation,
        @Nullable WorkspaceId parentId,
        @Nullable String agentCard,
        @Nullable Instant lastHeartbeatAt,
        int activeTasks,
        double lastErrorRate,
        long uptimeSeconds,
        RestartState restart,
        @Nullable String failureReason,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Long budgetLimit,
        long monthlySpend,
        @Nullable String currentTask,
        @Nullable String lastSampleError,
        @Nullable Integer hibernationIdleMinutes,
        CanvasPosition position,
        boolean collapsed,
        @Nullable Instant onlineSince,
        @Nullable String startedBy) {

    public static final String EXTERNAL = "external";

    public boolean external() {
        return EXTERNAL.equals(backend);
    }

    /** The automatic restarts in the current streak, as the API shows them. */
    public int restartAttempts() {
        return restart.attempts();
    }

    public Optional<String> endpoint() {
        return Optional.ofNullable(url).filter(u -> !u.isEmpty());
    }

    public Optional<InstanceRef> instance() {
        return Optional.ofNullable(instanceRef);
    }

    /** True when a budget is set and the reported monthly spend has reached it. */
    public boolean overBudget() {
        return budgetLimit != null && monthlySpend >= budgetLimit;
    }
}
