package dev.lifeline.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.RemoteEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the other replicas announce, handed to this server: their events to its own subscribers
 * (and to no other replica), the rows they wrote to whoever caches rows, the tokens they minted or
 * ended to the grants this server keeps.
 */
final class RemoteArrivals implements ClusterChannel.Receiver {
    private final EventBus local;
    private final Consumer<WorkspaceId> rowChanged;
    private final Runnable anyRowChanged;
    private final TokenGrants grants;

    RemoteArrivals(EventBus local, Consumer<WorkspaceId> rowChanged, Runnable anyRowChanged, TokenGrants grants) {
        this.local = local;
        this.rowChanged = rowChanged;
        this.anyRowChanged = anyRowChanged;
        this.grants = grants;
    }

    @Override
    public void event(RemoteEvent remote) {
        WorkspaceEvent relayed = new WorkspaceEvent.Relayed(
                remote.workspaceId(), remote.type(), payload(remote.payloadJson()), remote.persisted());
        local.publish(new PublishedEvent(relayed, remote.at()));
    }

    @Override
    public void rowChanged(WorkspaceId id) {
        rowChanged.accept(id);
    }

    @Override
    public void tokensChanged(WorkspaceId id) {
        grants.forget(id);
    }

    @Override
    public void rowsMayHaveChanged() {
        anyRowChanged.run();
        grants.forgetAll();
    }

    /** The payload as maps and lists; text that is not one JSON object is kept whole under {@code raw}. */
    private static Map<String, Object> payload(String json) {
        JsonNode node = Json.value(json);
        Map<String, Object> payload = new LinkedHashMap<>();
        if (node.isObject()) {
            payload.putAll(Json.tree(node));
        } else {
            payload.put("raw", json);
        }
        return payload;
    }
}
