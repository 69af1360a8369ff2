package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An event stream serialises each event once, however many clients it has. */
class FanOutTest {
    private final AtomicInteger serialised = new AtomicInteger();
    private final FanOut<WsFeed.Frame> stream = new FanOut<>(e -> {
        serialised.incrementAndGet();
        return WsFeed.Frame.of(e);
    });

    /** A client of one workspace's events; two clients are never equal, as two sockets are not. */
    private static final class Client implements FanOut.Feed<WsFeed.Frame> {
        private final WorkspaceId only;
        private final List<WsFeed.Frame> frames = new ArrayList<>();

        Client(WorkspaceId only) {
            this.only = only;
        }

        List<WsFeed.Frame> frames() {
            return frames;
        }

        @Override
        public boolean wants(PublishedEvent event) {
            return event.event().workspaceId().equals(only);
        }

        @Override
        public void send(WsFeed.Frame frame) {
            frames.add(frame);
        }
    }

    private static PublishedEvent heartbeat(WorkspaceId id) {
        return new PublishedEvent(new WorkspaceEvent.Heartbeat(id, 0, 1), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void tenSubscribersShareOneSerialisationOfEachEvent() {
        WorkspaceId id = WorkspaceId.random();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Client c = new Client(id);
            clients.add(c);
            stream.add(c);
        }

        stream.accept(heartbeat(id));
        stream.accept(heartbeat(id));

        assertThat(serialised).hasValue(2);
        WsFeed.Frame first = clients.getFirst().frames().getFirst();
        assertThat(clients).allSatisfy(c -> assertThat(c.frames().getFirst()).isSameAs(first));
        assertThat(first.text()).contains("\"event\":\"WORKSPACE_HEARTBEAT\"", id.toString());
    }

    @Test
    void anEventNoClientWantsIsNeverSerialised() {
        stream.add(new Client(WorkspaceId.random()));

        stream.accept(heartbeat(WorkspaceId.random()));

        assertThat(serialised).hasValue(0);
    }
}
