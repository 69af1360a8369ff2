package dev.lifeline.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.NewWorkspace;
import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import dev.lifeline.store.JdbcStore;
import dev.lifeline.store.Stores;
import java.io.EOFException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls that fail together on one agent cost the backend one check, not one each. */
class ReactiveCheckTest {
    private static final int CALLS = 20;

    private final JdbcStore store = Stores.inMemoryH2("reactive" + System.nanoTime());
    private final AtomicInteger checks = new AtomicInteger();
    private final CountDownLatch backendMayAnswer = new CountDownLatch(1);
    private volatile Verdict answer = Verdict.DEAD_RESTARTING;
    private final ReactiveCheck reactive = new ReactiveCheck(
            (w, e) -> {
                checks.incrementAndGet();
                try {
                    backendMayAnswer.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return answer;
            },
            Duration.ofMillis(50));

    @AfterEach
    void stop() {
        backendMayAnswer.countDown();
        store.close();
    }

    @Test
    void twentyFailuresTogetherOnOneGenerationShareOneCheckAndItsVerdict() throws Exception {
        Workspace dead = workspace();

        List<Verdict> verdicts = burst(() -> reactive.suspect(dead, new EOFException()));

        assertThat(checks).hasValue(1);
        assertThat(verdicts).hasSize(CALLS).containsOnly(Verdict.DEAD_RESTARTING);
    }

    @Test
    void aFailureAfterTheSharedCheckEndedChecksAgain() throws Exception {
        Workspace dead = workspace();
        List<Verdict> _ = burst(() -> reactive.suspect(dead, new EOFException()));

        assertThat(reactive.suspect(dead, new EOFException())).isEqualTo(Verdict.DEAD_RESTARTING);

        assertThat(checks).hasValue(2);
    }

    @Test
    void upstreamErrorsTogetherShareOneCheckToo() throws Exception {
        Workspace sick = workspace();
        answer = Verdict.ALIVE;

        List<Verdict> verdicts = burst(() -> reactive.suspectUpstream(sick));

        assertThat(checks).hasValue(1);
        assertThat(verdicts).containsOnly(Verdict.ALIVE);
    }

    /** Runs the same failure on {@value #CALLS} threads at once and lets the backend answer once all wait. */
    private List<Verdict> burst(Callable<Verdict> failure) throws InterruptedException, ExecutionException {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<Future<Verdict>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(r -> {
            Thread t = Thread.ofPlatform().unstarted(r);
            threads.add(t);
            return t;
        })) {
            for (int i = 0; i < CALLS; i++) {
                futures.add(pool.submit(failure));
            }
            await().until(() ->
                    threads.size() == CALLS && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            backendMayAnswer.countDown();
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> f : futures) {
                verdicts.add(f.get());
            }
            return verdicts;
        }
    }

    private Workspace workspace() {
        WorkspaceId id = WorkspaceId.random();
        return store.create(
                new NewWorkspace(id, "w", null, 2, "echo", "process", WorkspaceStatus.ONLINE, "http://a", null, null),
                new WorkspaceEvent.Online(id, "http://a", null, null),
                Instant.now());
    }
}
