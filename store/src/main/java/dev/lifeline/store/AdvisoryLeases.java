package dev.lifeline.store;

import dev.lifeline.core.LoopLeases;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loop leases as PostgreSQL session-level advisory locks, one per loop, on a connection of their own
 * (outside the pool, so no transaction can release them). A lock lives as long as this session: when
 * the replica dies its connection closes, PostgreSQL releases its loops at once, and the next replica
 * to try a loop gets it, within one period. A host that vanishes without closing its connection is
 * found dead by the session's TCP keepalives ({@link #KEEPALIVE}), after about 11 s. Advisory locks were
 * chosen over a lease row because they need no renewal writes and no agreement between the
 * replicas' clocks.
 */
final class AdvisoryLeases implements LoopLeases {
    private static final Logger log = LoggerFactory.getLogger(AdvisoryLeases.class);
    private static final int VALIDATION_SECONDS = 2;
    /** Server-side keepalives: 5 s idle, then 3 probes 2 s apart. */
    private static final String KEEPALIVE =
            "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3";

    /** Opens a new session on the database. */
    @FunctionalInterface
    interface Sessions {
        Connection open() throws SQLException;
    }

    private final Sessions sessions;
    private final ReentrantLock guard = new ReentrantLock();
    private final Set<String> held = new HashSet<>();
    private @Nullable Connection session;

    AdvisoryLeases(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean hold(String loop) {
        guard.lock();
        try {
            Connection c = session();
            if (held.contains(loop)) {
                if (c.isValid(VALIDATION_SECONDS)) {
                    return true;
                }
                log.warn("the session holding the periodic loops was lost; trying to take them again");
                drop();
                c = session();
            }
            if (tryLock(c, loop)) {
                held.add(loop);
                log.info("this server now runs the {} loop for the fleet", loop);
                return true;
            }
            return false;
        } catch (SQLException e) {
            log.warn("cannot check the lease of the {} loop; skipping its round: {}", loop, e.toString());
            drop();
            return false;
        } finally {
            guard.unlock();
        }
    }

    @Override
    public void close() {
        guard.lock();
        try {
            drop();
        } finally {
            guard.unlock();
        }
    }

    /** The lock key of a loop: 64 bits of a hash of its name, in a namespace of Lifeline's own. */
    static long key(String loop) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("dev.lifeline.loop:" + loop).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean tryLock(Connection c, String loop) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, key(loop));
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Connection session() throws SQLException {
        Connection c = session;
        if (c == null) {
            c = sessions.open();
            try (Statement st = c.createStatement()) {
                st.execute(KEEPALIVE);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            session = c;
        }
        return c;
    }

    /** Closes the session, which releases every lock it held. */
    private void drop() {
        held.clear();
        Connection c = session;
        session = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the loop lease session failed", e);
            }
        }
    }
}
