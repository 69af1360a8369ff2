package dev.lifeline.server;

import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.core.WorkspaceTokens;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The grants of workspace tokens, kept in memory once the store has admitted them, so that an
 * agent's heartbeats and calls do not each cost a database lookup. Only admitted tokens are kept (one
 * per live generation of a workspace), so a token nobody minted leaves nothing behind. A workspace's
 * grants are let go when its token is replaced or it is removed — by this server (the store says so
 * synchronously) or by another replica (the database announces it on commit) — and every grant is
 * looked up again after {@link #LIFETIME}, against an announcement that was lost.
 */
final class TokenGrants {
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private record Kept(TokenGrant grant, long sinceNanos) {}

    private final WorkspaceStore store;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Kept> byHash = new ConcurrentHashMap<>();
    /** The key of each workspace's kept grant: a workspace has one live token at a time. */
    private final ConcurrentHashMap<WorkspaceId, String> keyOf = new ConcurrentHashMap<>();
    /** Counts the times grants were let go, so a lookup that overlapped one does not keep its answer. */
    private final AtomicLong forgets = new AtomicLong();

    TokenGrants(WorkspaceStore store, LongSupplier nanos) {
        this.store = store;
        this.nanos = nanos;
    }

    /** The grant of {@code token} if it is in memory and not too old; never asks the store. */
    Optional<TokenGrant> known(String token) {
        return kept(key(token));
    }

    /** The grant of {@code token}: from memory, else from the store (and then kept). */
    Optional<TokenGrant> find(String token) {
        byte[] hash = WorkspaceTokens.hash(token);
        String key = HexFormat.of().formatHex(hash);
        Optional<TokenGrant> known = kept(key);
        if (known.isPresent()) {
            return known;
        }
        long before = forgets.get();
        Optional<TokenGrant> stored = store.findToken(hash);
        stored.ifPresent(grant -> {
            if (forgets.get() == before) {
                byHash.put(key, new Kept(grant, nanos.getAsLong()));
                String previous = keyOf.put(grant.workspaceId(), key);
                if (previous != null && !previous.equals(key)) {
                    byHash.remove(previous);
                }
            }
        });
        return stored;
    }

    /** Lets go of the grants of {@code id}'s tokens. */
    void forget(WorkspaceId id) {
        forgets.incrementAndGet();
        String key = keyOf.remove(id);
        if (key != null) {
            byHash.remove(key);
        }
    }

    /** Lets go of every grant. */
    void forgetAll() {
        forgets.incrementAndGet();
        byHash.clear();
        keyOf.clear();
    }

    /** How many grants are kept; for tests. */
    int size() {
        return byHash.size();
    }

    private Optional<TokenGrant> kept(String key) {
        Kept kept = byHash.get(key);
        if (kept == null) {
            return Optional.empty();
        }
        if (nanos.getAsLong() - kept.sinceNanos() >= LIFETIME.toNanos()) {
            byHash.remove(key, kept);
            return Optional.empty();
        }
        return Optional.of(kept.grant());
    }

    private static String key(String token) {
        return HexFormat.of().formatHex(WorkspaceTokens.hash(token));
    }
}
