package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.CallQueue;
import dev.lifeline.core.NewQueuedCall;
import dev.lifeline.core.QueueState;
import dev.lifeline.core.QueuedCall;
import dev.lifeline.core.WorkspaceId;
import dev.lifeline.core.WorkspaceStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The durable queue of busy calls, the same on H2 and PostgreSQL. */
abstract class CallQueueContract extends StoreFixture {
    private static final Duration LEASE = Duration.ofMinutes(2);

    private CallQueue queue() {
        return store().callQueue();
    }

    private static NewQueuedCall call(WorkspaceId ws, String messageId, int priority) {
        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"messageId\":\""
                        + messageId + "\"}}}";
        return new NewQueuedCall(
                ws,
                null,
                messageId,
                body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"),
                priority);
    }

    @Test
    void aMessageIdIsQueuedOncePerWorkspaceAndTheDepthCountsWaitingCalls() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        CallQueue.Enqueued first = queue().enqueue(call(ws, "m-1", QueuedCall.TASK), T0);
        CallQueue.Enqueued again = queue().enqueue(call(ws, "m-1", QueuedCall.TASK), seconds(1));
        CallQueue.Enqueued other = queue().enqueue(call(ws, "m-2", QueuedCall.TASK), seconds(2));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.existing()).isTrue();
        assertThat(first.depth()).isEqualTo(1);
        assertThat(other.depth()).isEqualTo(2);
        assertThat(queue().depths()).containsEntry(ws, 2);
        QueuedCall stored = queue().find(ws, first.id()).orElseThrow();
        assertThat(stored.headers()).containsEntry("Content-Type", "application/json");
        assertThat(new String(stored.body(), StandardCharsets.UTF_8)).contains("\"m-1\"");
    }

    @Test
    void claimsHighestPriorityThenOldestAndNoMoreThanAsked() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        queue().enqueue(call(ws, "old", 50), seconds(1));
        queue().enqueue(call(ws, "newer", 50), seconds(2));
        queue().enqueue(call(ws, "urgent", 100), seconds(3));

        List<QueuedCall> claimed = queue().claim(ws, 2, seconds(4), LEASE);

        assertThat(claimed).extracting(QueuedCall::messageId).containsExactly("urgent", "old");
        assertThat(claimed).allSatisfy(c -> {
            assertThat(c.state()).isEqualTo(QueueState.DELIVERING);
            assertThat(c.attempts()).isEqualTo(1);
        });
        assertThat(queue().depths()).containsEntry(ws, 1);
    }

    /** The reference marked a call completed when it was busy again during its drain; it was lost. */
    @Test
    void aCallBusyAgainDuringItsDrainGoesBackToTheQueueAndIsDeliveredLater() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        long id = queue().enqueue(call(ws, "m-1", QueuedCall.TASK), T0).id();
        queue().claim(ws, 1, seconds(1), LEASE);

        CallQueue.Enqueued busyAgain = queue().enqueue(call(ws, "m-1", QueuedCall.TASK), seconds(2));
        assertThat(busyAgain.id()).isEqualTo(id);
        assertThat(queue().requeue(id, "agent answered 503", seconds(2))).isTrue();

        QueuedCall retried = queue().claim(ws, 1, seconds(3), LEASE).getFirst();
        assertThat(retried.id()).isEqualTo(id);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(queue().delivered(id, 200, "{\"ok\":true}", seconds(4))).isTrue();
        QueuedCall done = queue().find(ws, id).orElseThrow();
        assertThat(done.state()).isEqualTo(QueueState.DELIVERED);
        assertThat(done.replyBody()).isEqualTo("{\"ok\":true}");
    }

    /**
     * A store-level crash: another server claims a call and never finishes it (its process is gone);
     * what it committed is all that is left of it.
     */
    @Test
    void aDeliveryCutOffByACrashIsClaimedAgainAfterItsLeaseWithTheSameMessage() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        long id = queue().enqueue(call(ws, "m-1", QueuedCall.TASK), T0).id();
        try (JdbcStore crashed = openAnother()) {
            QueuedCall inFlight =
                    crashed.callQueue().claim(ws, 1, seconds(1), LEASE).getFirst();

            assertThat(queue().releaseExpiredClaims(seconds(60))).isZero();
            assertThat(queue().claim(ws, 1, seconds(60), LEASE)).isEmpty();
            assertThat(queue().releaseExpiredClaims(seconds(1).plus(LEASE).plusSeconds(1)))
                    .isEqualTo(1);
            QueuedCall retried = queue().claim(ws, 1, seconds(200), LEASE).getFirst();

            assertThat(retried.id()).isEqualTo(id);
            assertThat(retried.messageId()).isEqualTo(inFlight.messageId());
            assertThat(retried.body()).isEqualTo(inFlight.body());
            assertThat(queue().delivered(id, 200, null, seconds(201))).isTrue();
            assertThat(queue().claim(ws, 1, seconds(1000), LEASE)).isEmpty();
            assertThat(queue().releaseExpiredClaims(seconds(10_000))).isZero();
        }
    }

    @Test
    void callsPastTheirAttemptsOrTheirAgeFailWithTheReason() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        long tried = queue().enqueue(call(ws, "tried", 100), seconds(100)).id();
        long old = queue().enqueue(call(ws, "old", QueuedCall.TASK), seconds(1)).id();
        long fresh = queue().enqueue(call(ws, "fresh", QueuedCall.TASK), seconds(100))
                .id();
        for (int attempt = 0; attempt < 3; attempt++) {
            QueuedCall c = queue().claim(ws, 1, seconds(101), LEASE).getFirst();
            assertThat(c.id()).isEqualTo(tried);
            queue().requeue(c.id(), "agent answered 429", seconds(101));
        }
        assertThat(queue().expire(3, seconds(50), seconds(102))).isEqualTo(2);

        assertThat(queue().find(ws, tried).orElseThrow().lastError())
                .isEqualTo("not delivered after 3 attempts: agent answered 429");
        assertThat(queue().find(ws, old).orElseThrow().lastError()).isEqualTo("not delivered before it expired");
        assertThat(queue().find(ws, old).orElseThrow().state()).isEqualTo(QueueState.FAILED);
        assertThat(queue().find(ws, fresh).orElseThrow().state()).isEqualTo(QueueState.QUEUED);
    }

    @Test
    void dropStaleDropsOnlyOldWaitingCallsOfTheNamedWorkspace() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        WorkspaceId other = create(WorkspaceStatus.ONLINE).id();
        long old = queue().enqueue(call(ws, "old", QueuedCall.TASK), seconds(1)).id();
        queue().enqueue(call(ws, "fresh", QueuedCall.TASK), seconds(500));
        queue().enqueue(call(other, "old-elsewhere", QueuedCall.TASK), seconds(1));

        assertThat(queue().dropStale(seconds(100), ws, seconds(600))).isEqualTo(1);
        assertThat(queue().find(ws, old).orElseThrow().state()).isEqualTo(QueueState.DROPPED);
        assertThat(queue().find(ws, old).orElseThrow().lastError()).isEqualTo("dropped by the operator as stale");
        assertThat(queue().depths()).containsEntry(ws, 1).containsEntry(other, 1);
        assertThat(queue().dropStale(seconds(100), null, seconds(600))).isEqualTo(1);
        assertThat(queue().depths()).containsOnlyKeys(ws);
    }

    @Test
    void retentionDeletesOnlyFinishedCallsPastTheCutoff() {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        long done = queue().enqueue(call(ws, "done", QueuedCall.TASK), T0).id();
        long waiting = queue().enqueue(call(ws, "waiting", QueuedCall.TASK), T0).id();
        queue().claim(ws, 1, seconds(1), LEASE);
        queue().delivered(done, 200, null, seconds(2));

        assertThat(queue().deleteFinishedOlderThan(seconds(1), 100)).isZero();
        assertThat(queue().deleteFinishedOlderThan(seconds(3), 100)).isEqualTo(1);
        assertThat(queue().find(ws, done)).isEmpty();
        assertThat(queue().find(ws, waiting)).isPresent();
    }

    @Test
    void twoServersDrainingOneQueueClaimEachCallOnce() throws Exception {
        WorkspaceId ws = create(WorkspaceStatus.ONLINE).id();
        int calls = 200;
        for (int i = 0; i < calls; i++) {
            queue().enqueue(call(ws, "m-" + i, QueuedCall.TASK), seconds(i));
        }
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        try (JdbcStore replica = openAnother();
                ExecutorService drainers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (CallQueue q : List.of(queue(), replica.callQueue(), queue(), replica.callQueue())) {
                running.add(drainers.submit(() -> {
                    go.await();
                    List<QueuedCall> got;
                    while (!(got = q.claim(ws, 3, seconds(1000), LEASE)).isEmpty()) {
                        got.forEach(c -> {
                            claimed.add(c.id());
                            q.delivered(c.id(), 200, null, seconds(1001));
                        });
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
        }
        assertThat(claimed).hasSize(calls).doesNotHaveDuplicates();
    }
}
