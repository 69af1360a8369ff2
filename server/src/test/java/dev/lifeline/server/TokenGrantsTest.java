package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.ForwardingStore;
import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.NotifyingStore;
import dev.lifeline.core.TokenGrant;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceTokens;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token grants held in memory: the database is asked once per token, and a replaced or removed
 * workspace's token stops working at once, however warm the memory.
 */
class TokenGrantsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final JdbcStore database = Stores.inMemoryH2("grants" + System.nanoTime());
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final NotifyingStore store = new NotifyingStore(new ForwardingStore(database) {
        @Override
        public Optional<TokenGrant> findToken(byte[] sha256) {
            lookups.incrementAndGet();
            return super.findToken(sha256);
        }
    });
    private final TokenGrants grants = new TokenGrants(store, nanos::get);

    {
        store.onTokensChange(grants::forget);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private WorkspaceId workspace() {
        WorkspaceId id = WorkspaceId.random();
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.AWAITING_AGENT, null, null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                T0);
        return id;
    }

    private String mint(WorkspaceId id, long generation) {
        String token = WorkspaceTokens.mint();
        store.replaceToken(id, generation, WorkspaceTokens.hash(token), WorkspaceTokens.prefix(token), T0);
        return token;
    }

    @Test
    void aTokenIsLookedUpOnceAndThenAnsweredFromMemory() {
        WorkspaceId id = workspace();
        String token = mint(id, 1);

        assertThat(grants.known(token)).isEmpty();
        assertThat(grants.find(token)).contains(new TokenGrant(id, 1));
        assertThat(grants.find(token)).contains(new TokenGrant(id, 1));
        assertThat(grants.known(token)).contains(new TokenGrant(id, 1));

        assertThat(lookups).hasValue(1);
    }

    @Test
    void aTokenNobodyMintedLeavesNothingBehind() {
        assertThat(grants.find(WorkspaceTokens.mint())).isEmpty();
        assertThat(grants.find(WorkspaceTokens.mint())).isEmpty();

        assertThat(grants.size()).isZero();
    }

    @Test
    void aReplacedTokenStopsWorkingAtOnce() {
        WorkspaceId id = workspace();
        String old = mint(id, 1);
        assertThat(grants.find(old)).isPresent();

        String next = mint(id, 2);

        assertThat(grants.known(old)).isEmpty();
        assertThat(grants.find(old)).isEmpty();
        assertThat(grants.find(next)).contains(new TokenGrant(id, 2));
    }

    @Test
    void aRemovedWorkspacesTokenStopsWorkingAtOnce() {
        WorkspaceId id = workspace();
        String token = mint(id, 1);
        assertThat(grants.find(token)).isPresent();

        store.removeTree(id, false, T0.plusSeconds(1));

        assertThat(grants.find(token)).isEmpty();
    }

    @Test
    void aGrantIsLookedUpAgainAfterItsLifetime() {
        WorkspaceId id = workspace();
        String token = mint(id, 1);
        grants.find(token);

        nanos.addAndGet(TokenGrants.LIFETIME.toNanos());

        assertThat(grants.known(token)).isEmpty();
        assertThat(grants.find(token)).isPresent();
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aLookupThatOverlapsARevocationIsNotKept() {
        WorkspaceId id = workspace();
        String token = mint(id, 1);
        TokenGrants racing = new TokenGrants(
                new ForwardingStore(database) {
                    @Override
                    public Optional<TokenGrant> findToken(byte[] sha256) {
                        Optional<TokenGrant> found = super.findToken(sha256); // read before the revocation
                        mint(id, 2);
                        return found;
                    }
                },
                nanos::get);
        store.onTokensChange(racing::forget);

        assertThat(racing.find(token)).isPresent();

        assertThat(racing.known(token)).isEmpty();
    }
}
