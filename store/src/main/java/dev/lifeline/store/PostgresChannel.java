package dev.lifeline.store;

import dev.lifeline.core.ClusterChannel;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.RemoteEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas of one PostgreSQL database hearing each other through LISTEN/NOTIFY. One dedicated
 * connection, on one platform thread, listens on {@link #EVENTS}, {@link #ROWS} and {@link #TOKENS};
 * what the database triggers announce (see {@link V10__Cluster_notices} and {@link
 * V16__Token_notices}) and what other replicas {@link
 * #broadcast} is handed on unless this replica sent it (notices carry the writer's {@code
 * application_name}). When the connection drops, the thread reconnects, listens again and reads
 * the persisted events it missed from the table by id ({@link MissedEvents}); broadcast-only events
 * sent meanwhile are lost, and every cached row and token grant is let go, as any may have changed
 * meanwhile.
 */
final class PostgresChannel implements ClusterChannel {
    private static final Logger log = LoggerFactory.getLogger(PostgresChannel.class);
    static final String EVENTS = "lifeline_events";
    static final String ROWS = "lifeline_rows";
    static final String TOKENS = "lifeline_tokens";
    /** The longest notice sent; NOTIFY refuses payloads of 8000 bytes or more. */
    static final int NOTICE_BYTES = 7900;

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /** Opens the listening connection; not one of the pool's, which would recycle it. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Jdbi jdbi;
    private final Connector connector;
    private final String origin;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile boolean open = true;
    private @Nullable Thread listener;
    private final Broadcasts broadcasts;

    PostgresChannel(Jdbi jdbi, Connector connector, String origin) {
        this.jdbi = jdbi;
        this.connector = connector;
        this.origin = origin;
        this.broadcasts = new Broadcasts(this::notifyInOrder);
    }

    /** Queues the event's notice; {@link Broadcasts} sends it with the others of its batch. */
    @Override
    public void broadcast(PublishedEvent event) {
        broadcasts.offer(Notices.broadcast(origin, event, NOTICE_BYTES));
    }

    /** One statement for a batch of notices, announced in the order given. */
    private void notifyInOrder(List<String> notices) {
        jdbi.useHandle(h -> h.createQuery("SELECT count(*) FROM unnest(:notices) WITH ORDINALITY AS t(notice, i),"
                        + " LATERAL pg_notify(:channel, t.notice)")
                .bindArray("notices", String.class, notices)
                .bind("channel", EVENTS)
                .mapTo(Long.class)
                .one());
    }

    @Override
    public void listen(Receiver receiver) {
        lifecycle.lock();
        try {
            if (listener != null || !open) {
                throw new IllegalStateException("the cluster channel listens once");
            }
            MissedEvents missed = new MissedEvents(jdbi, origin);
            listener = Thread.ofPlatform()
                    .daemon()
                    .name("lifeline-cluster-listener")
                    .start(() -> listenUntilClosed(new Delivery(receiver, missed, origin)));
        } finally {
            lifecycle.unlock();
        }
    }

    private void listenUntilClosed(Delivery delivery) {
        boolean reconnecting = false;
        while (open) {
            try (Connection c = connector.open()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + EVENTS);
                    s.execute("LISTEN " + ROWS);
                    s.execute("LISTEN " + TOKENS);
                }
                int caughtUp = delivery.catchUp();
                if (reconnecting) {
                    delivery.receiver.rowsMayHaveChanged();
                    log.info(
                            "cluster listener reconnected; {} persisted events it missed were read from the table",
                            caughtUp);
                }
                reconnecting = true;
                receive(c.unwrap(PGConnection.class), delivery);
            } catch (SQLException | RuntimeException e) {
                if (open) {
                    log.warn("cluster listener lost its connection; reconnecting", e);
                    pause();
                }
            }
        }
    }

    private void receive(PGConnection connection, Delivery delivery) throws SQLException {
        while (open) {
            PGNotification[] notices = connection.getNotifications((int) POLL.toMillis());
            if (notices == null) {
                continue;
            }
            for (PGNotification n : notices) {
                if (n.getName().equals(ROWS)) {
                    delivery.row(n.getParameter());
                } else if (n.getName().equals(TOKENS)) {
                    delivery.tokens(n.getParameter());
                } else {
                    delivery.event(n.getParameter());
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE); // back-off between connection attempts, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    /** Whether a listening thread runs; for tests. */
    boolean listening() {
        Thread t = listener;
        return t != null && t.isAlive();
    }

    @Override
    public void close() {
        broadcasts.close();
        lifecycle.lock();
        try {
            open = false;
            Thread t = listener;
            if (t != null) {
                t.interrupt();
                t.join(STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Hands notices on to the receiver, each remote event once, in the order they came. */
    private static final class Delivery {
        private final Receiver receiver;
        private final MissedEvents missed;
        private final String origin;

        Delivery(Receiver receiver, MissedEvents missed, String origin) {
            this.receiver = receiver;
            this.missed = missed;
            this.origin = origin;
        }

        int catchUp() {
            List<RemoteEvent> events = missed.since();
            events.forEach(this::deliver);
            return events.size();
        }

        void event(String text) {
            Optional<Notices.EventNotice> parsed = Notices.event(text);
            if (parsed.isEmpty()) {
                log.warn("ignored a malformed event notice");
                return;
            }
            Notices.EventNotice n = parsed.get();
            if (n.id() > 0 && !missed.firstSight(n.id())) {
                return;
            }
            if (n.origin().equals(origin)) {
                return;
            }
            if (n.payloadJson().isEmpty() && n.id() > 0) {
                missed.read(n.id()).ifPresent(receiver::event);
                return;
            }
            receiver.event(new RemoteEvent(n.id(), n.type(), n.workspaceId(), n.payloadJson(), n.at()));
        }

        void row(String text) {
            Notices.row(text)
                    .filter(n -> !n.origin().equals(origin))
                    .ifPresent(n -> receiver.rowChanged(n.workspaceId()));
        }

        void tokens(String text) {
            Notices.row(text)
                    .filter(n -> !n.origin().equals(origin))
                    .ifPresent(n -> receiver.tokensChanged(n.workspaceId()));
        }

        private void deliver(RemoteEvent event) {
            if (missed.firstSight(event.id())) {
                receiver.event(event);
            }
        }
    }
}
