package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Broadcast notices leave in batches, in the order queued, and closing sends what is queued. */
class BroadcastsTest {

    @Test
    void noticesQueuedTogetherLeaveInFewStatementsInTheOrderQueued() {
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        List<String> notices =
                IntStream.range(0, 300).mapToObj(i -> "notice " + i).toList();

        try (Broadcasts broadcasts = new Broadcasts(sent::add)) {
            notices.forEach(broadcasts::offer);
        }

        assertThat(sent.stream().flatMap(List::stream)).containsExactlyElementsOf(notices);
        assertThat(sent).as("one statement per notice is what batching avoids").hasSizeLessThan(notices.size() / 10);
    }

    @Test
    void aBatchTheDatabaseRefusesIsDroppedAndTheNextStillLeaves() {
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        try (Broadcasts broadcasts = new Broadcasts(batch -> {
            attempts.incrementAndGet();
            if (batch.contains("refused")) {
                throw new IllegalStateException("the database is away");
            }
            sent.add(batch);
        })) {
            broadcasts.offer("refused");
            await().until(() -> attempts.get() == 1);
            broadcasts.offer("next");
        }

        assertThat(sent).containsExactly(List.of("next"));
    }
}
