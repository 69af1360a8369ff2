package dev.lifeline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeline.core.EventBus;
import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The in-process bus ({@link LocalEventBus}): order, bursts, and each subscriber's own bound. */
class LocalEventBusTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private static List<PublishedEvent> events(String... names) {
        WorkspaceId id = WorkspaceId.random();
        return List.of(names).stream()
                .map(n -> new PublishedEvent(new WorkspaceEvent.Paused(id, n), T0))
                .toList();
    }

    private static List<String> names(List<PublishedEvent> seen) {
        return seen.stream()
                .map(e -> ((WorkspaceEvent.Paused) e.event()).name())
                .toList();
    }

    @Test
    void everySubscriberSeesSinglesAndBurstsInTheOrderTheyWerePublished() {
        LocalEventBus bus = new LocalEventBus(100);
        List<PublishedEvent> first = new CopyOnWriteArrayList<>();
        List<PublishedEvent> second = new CopyOnWriteArrayList<>();
        try (EventBus.Subscription a = bus.subscribe(first::add);
                EventBus.Subscription b = bus.subscribe(second::add)) {
            List<PublishedEvent> all = events("one", "two", "three", "four", "five");

            bus.publish(all.get(0));
            bus.publishAll(all.subList(1, 4));
            bus.publishAll(List.of());
            bus.publish(all.get(4));

            await().atMost(10, TimeUnit.SECONDS).until(() -> first.size() == 5 && second.size() == 5);
            assertThat(names(first)).containsExactly("one", "two", "three", "four", "five");
            assertThat(names(second)).containsExactly("one", "two", "three", "four", "five");
        }
    }

    @Test
    void aStuckSubscriberLosesOnlyWhatExceedsItsOwnBoundAndTheOthersLoseNothing() throws Exception {
        LocalEventBus bus = new LocalEventBus(4);
        CountDownLatch release = new CountDownLatch(1);
        List<PublishedEvent> stuck = new CopyOnWriteArrayList<>();
        List<PublishedEvent> quick = new CopyOnWriteArrayList<>();
        try (EventBus.Subscription a = bus.subscribe(e -> {
                    stuck.add(e);
                    awaitRelease(release);
                });
                EventBus.Subscription b = bus.subscribe(quick::add)) {
            List<PublishedEvent> all = events("e1", "e2", "e3", "e4", "e5", "e6");

            bus.publishAll(all.subList(0, 3)); // the stuck one holds e1 and has e2, e3 waiting
            await().atMost(10, TimeUnit.SECONDS).until(() -> quick.size() == 3 && stuck.size() == 1);
            bus.publishAll(all.subList(3, 6)); // room for one more: e4; e5 and e6 are its overflow
            await().atMost(10, TimeUnit.SECONDS).until(() -> quick.size() == 6);
            release.countDown();

            await().atMost(10, TimeUnit.SECONDS).until(() -> stuck.size() == 4);
            assertThat(names(stuck)).containsExactly("e1", "e2", "e3", "e4");
            assertThat(names(quick)).containsExactly("e1", "e2", "e3", "e4", "e5", "e6");
            bus.publish(events("after").getFirst()); // the bound is freed as events are handled
            await().atMost(10, TimeUnit.SECONDS).until(() -> stuck.size() == 5);
        }
    }

    @Test
    void aBurstLargerThanTheBoundKeepsItsFirstEvents() {
        LocalEventBus bus = new LocalEventBus(3);
        List<PublishedEvent> seen = new CopyOnWriteArrayList<>();
        try (EventBus.Subscription a = bus.subscribe(seen::add)) {
            bus.publishAll(
                    events(IntStream.rangeClosed(1, 5).mapToObj(i -> "e" + i).toArray(String[]::new)));

            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == 3);
            assertThat(names(seen)).containsExactly("e1", "e2", "e3");
        }
    }

    @Test
    void aSubscriberThatNamesWhatItWantsIsHandedOnlyThatSoTheRestNeitherWakesItNorUsesItsBound() {
        LocalEventBus bus = new LocalEventBus(2);
        CountDownLatch release = new CountDownLatch(1);
        List<PublishedEvent> seen = new CopyOnWriteArrayList<>();
        try (EventBus.Subscription a =
                bus.subscribe(e -> ((WorkspaceEvent.Paused) e.event()).name().startsWith("w"), e -> {
                    seen.add(e);
                    awaitRelease(release);
                })) {
            List<PublishedEvent> all = events("w1", "x1", "x2", "x3", "w2");

            bus.publish(all.get(0)); // it holds w1, one of its two places taken
            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == 1);
            bus.publishAll(all.subList(1, 5)); // had the x's been queued, w2 would have been its overflow
            release.countDown();

            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() == 2);
            assertThat(names(seen)).containsExactly("w1", "w2");
        }
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
