package dev.lifeline.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One guarded status change: applied only if the row's status is in {@code from} (and, when given,
 * its generation equals {@code generation}), together with its column changes and its event.
 *
 * @param newGeneration increment the generation (a new provision); url, instance, failure reason and
 *     last heartbeat are cleared
 * @param clearEndpoint clear url and instance ref
 * @param url set the url (ignored when null)
 * @param failureReason set the failure reason (cleared by a new generation)
 * @param touchHeartbeat set {@code last_heartbeat_at} to {@code at}
 * @param restart set the restart bookkeeping (ignored when null; a new generation then only clears
 *     the pending restart, keeping the streak)
 */
public record Transition(
        WorkspaceId id,
        Set<WorkspaceStatus> from,
        WorkspaceStatus to,
        @Nullable Long generation,
        boolean newGeneration,
        boolean clearEndpoint,
        @Nullable String url,
        @Nullable String agentCard,
        @Nullable String failureReason,
        boolean touchHeartbeat,
        @Nullable RestartState restart,
        WorkspaceEvent event,
        Instant at) {

    public Transition {
        from = from.isEmpty() ? EnumSet.noneOf(WorkspaceStatus.class) : EnumSet.copyOf(from);
        for (WorkspaceStatus s : from) {
            s.checkMoveTo(to);
        }
    }

    /** A transition to {@code to} from every status the table allows, with no column changes. */
    public static Transition to(WorkspaceId id, WorkspaceStatus to, WorkspaceEvent event, Instant at) {
        return new Transition(id, to.reachableFrom(), to, null, false, false, null, null, null, false, null, event, at);
    }

    public Transition onlyFrom(Set<WorkspaceStatus> statuses) {
        return new Transition(
                id,
                statuses,
                to,
                generation,
                newGeneration,
                clearEndpoint,
                url,
                agentCard,
                failureReason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition ifGeneration(long expected) {
        return new Transition(
                id,
                from,
                to,
                expected,
                newGeneration,
                clearEndpoint,
                url,
                agentCard,
                failureReason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition withNewGeneration() {
        return new Transition(
                id,
                from,
                to,
                generation,
                true,
                true,
                url,
                agentCard,
                failureReason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition clearingEndpoint() {
        return new Transition(
                id,
                from,
                to,
                generation,
                newGeneration,
                true,
                url,
                agentCard,
                failureReason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition withUrl(String newUrl, @Nullable String card) {
        return new Transition(
                id,
                from,
                to,
                generation,
                newGeneration,
                clearEndpoint,
                newUrl,
                card,
                failureReason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition withFailure(String reason) {
        return new Transition(
                id,
                from,
                to,
                generation,
                newGeneration,
                clearEndpoint,
                url,
                agentCard,
                reason,
                touchHeartbeat,
                restart,
                event,
                at);
    }

    public Transition touchingHeartbeat() {
        return new Transition(
                id,
                from,
                to,
                generation,
                newGeneration,
                clearEndpoint,
                url,
                agentCard,
                failureReason,
                true,
                restart,
                event,
                at);
    }

    /** Writes {@code state} as the workspace's restart bookkeeping in the same guarded update. */
    public Transition withRestart(RestartState state) {
        return new Transition(
                id,
                from,
                to,
                generation,
                newGeneration,
                clearEndpoint,
                url,
                agentCard,
                failureReason,
                touchHeartbeat,
                state,
                event,
                at);
    }
}
