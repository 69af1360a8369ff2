package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.NotifyingStore;
import dev.lifeline.core.Transition;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.core.WorkspaceStore;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's row cache: no read per call, and never a row older than the last local write. */
class TargetCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final JdbcStore database = Stores.inMemoryH2("cache" + System.nanoTime());
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final NotifyingStore store = new NotifyingStore(readsCounted(database, reads::incrementAndGet));
    private final TargetCache cache = new TargetCache(store, Duration.ofSeconds(1), nanos::get);
    private final WorkspaceId id = WorkspaceId.random();

    TargetCacheTest() {
        store.onChange(cache::forget);
        store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, "http://a:1", null, null),
                new WorkspaceEvent.Provisioning(id, "w", 2, "echo"),
                T0);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void repeatedCallsReadTheRowOnce() {
        for (int i = 0; i < 100; i++) {
            assertThat(cache.find(id)).isPresent();
        }

        assertThat(reads).hasValue(1);
    }

    @Test
    void aLocalWriteIsSeenByTheVeryNextCall() {
        cache.find(id);

        store.transition(Transition.to(id, WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(id, "sweep"), T0));

        assertThat(cache.find(id)).map(Workspace::status).contains(WorkspaceStatus.OFFLINE);
    }

    @Test
    void forgettingEveryRowMakesTheNextCallReadItsRowAgain() {
        cache.find(id);

        cache.forgetAll();
        cache.find(id);

        assertThat(reads).hasValue(2);
    }

    @Test
    void aRowIsReadAgainOnceItsTimeToLiveHasPassed() {
        cache.find(id);
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        cache.find(id);
        assertThat(reads).hasValue(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        cache.find(id);

        assertThat(reads).hasValue(2);
    }

    @Test
    void aRowReadWhileAWriteHappenedIsNotKept() {
        // The write lands after the row was read and before the cache could keep it.
        TargetCache racing = new TargetCache(
                readsFollowedBy(
                        database,
                        () -> store.transition(Transition.to(
                                id, WorkspaceStatus.OFFLINE, new WorkspaceEvent.Offline(id, "sweep"), T0))),
                Duration.ofSeconds(1),
                nanos::get);
        store.onChange(racing::forget);

        assertThat(racing.find(id)).map(Workspace::status).contains(WorkspaceStatus.ONLINE);

        assertThat(racing.find(id)).map(Workspace::status).contains(WorkspaceStatus.OFFLINE);
    }

    @Test
    void anUnknownWorkspaceIsNotCached() {
        WorkspaceId unknown = WorkspaceId.random();

        assertThat(cache.find(unknown)).isEmpty();
        assertThat(cache.find(unknown)).isEmpty();

        assertThat(reads).hasValue(2);
    }

    /** {@code store}, calling {@code onRead} before each {@code find}. */
    private static WorkspaceStore readsCounted(WorkspaceStore store, Runnable onRead) {
        return intercepted(store, onRead, () -> {});
    }

    /** {@code store}, running {@code write} after each {@code find} has read its row. */
    private static WorkspaceStore readsFollowedBy(WorkspaceStore store, Runnable write) {
        return intercepted(store, () -> {}, write);
    }

    private static WorkspaceStore intercepted(WorkspaceStore store, Runnable before, Runnable after) {
        return (WorkspaceStore) Proxy.newProxyInstance(
                WorkspaceStore.class.getClassLoader(), new Class<?>[] {WorkspaceStore.class}, (p, method, args) -> {
                    boolean find = method.getName().equals("find");
                    if (find) {
                        before.run();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (find) {
                            after.run();
                        }
                    }
                });
    }
}
