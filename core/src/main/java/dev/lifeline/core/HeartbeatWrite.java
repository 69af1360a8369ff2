package dev.lifeline.core;

import java.time.Instant;

/** A heartbeat to store on one generation of a workspace, received at {@code at}. */
public record HeartbeatWrite(WorkspaceId id, long generation, Heartbeat heartbeat, Instant at) {

    /**
     * This heartbeat, received after {@code earlier}, as the one write that stands for both: a
     * spend of 0 leaves the stored spend alone, so the earlier one's spend is kept.
     */
    public HeartbeatWrite after(HeartbeatWrite earlier) {
        if (heartbeat.monthlySpend() > 0 || earlier.heartbeat.monthlySpend() == 0 || earlier.generation != generation) {
            return this;
        }
        Heartbeat h = heartbeat;
        return new HeartbeatWrite(
                id,
                generation,
                new Heartbeat(
                        h.errorRate(),
                        h.sampleError(),
                        h.activeTasks(),
                        h.uptimeSeconds(),
                        h.currentTask(),
                        earlier.heartbeat.monthlySpend()),
                at);
    }

    /** The workspace as it reads with this heartbeat applied, if the heartbeat belongs to its generation. */
    public Workspace appliedTo(Workspace w) {
        if (w.generation() != generation || !w.id().equals(id)) {
            return w;
        }
        Instant last = w.lastHeartbeatAt();
        return new Workspace(
                w.id(),
                w.name(),
                w.role(),
                w.tier(),
                w.runtime(),
                w.backend(),
                w.status(),
                w.url(),
                w.instanceRef(),
                w.generation(),
                w.parentId(),
                w.agentCard(),
                last != null && last.isAfter(at) ? last : at,
                heartbeat.activeTasks(),
                heartbeat.errorRate(),
                heartbeat.uptimeSeconds(),
                w.restart(),
                w.failureReason(),
                w.createdAt(),
                w.updatedAt(),
                w.budgetLimit(),
                heartbeat.monthlySpend() > 0 ? heartbeat.monthlySpend() : w.monthlySpend(),
                heartbeat.currentTask(),
                heartbeat.sampleError(),
                w.hibernationIdleMinutes(),
                w.position(),
                w.collapsed(),
                w.onlineSince(),
                w.startedBy());
    }
}
