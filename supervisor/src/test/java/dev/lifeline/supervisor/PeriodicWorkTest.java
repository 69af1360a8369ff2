package dev.lifeline.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeline.core.LoopLeases;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The loop registry: each loop at its own period, fleet loops only while their lease is held. */
class PeriodicWorkTest {
    private final ManualLoopScheduler scheduler = new ManualLoopScheduler();
    private final ScriptedLeases leases = new ScriptedLeases();
    private final List<String> rounds = new CopyOnWriteArrayList<>();
    private final PeriodicWork work = new PeriodicWork(scheduler, leases);

    @Test
    void eachLoopRunsAtItsOwnPeriod() {
        work.fleet("fast", Duration.ofSeconds(15), () -> rounds.add("fast"))
                .fleet("slow", Duration.ofSeconds(60), () -> rounds.add("slow"))
                .start();

        scheduler.advance(Duration.ofSeconds(14));
        assertThat(rounds).isEmpty();
        scheduler.advance(Duration.ofSeconds(46));

        assertThat(rounds).containsExactly("fast", "fast", "fast", "fast", "slow");
    }

    @Test
    void aFleetLoopSkipsItsRoundsWhileAnotherReplicaHoldsItsLease() {
        leases.heldElsewhere.add("sweep");
        work.fleet("sweep", Duration.ofSeconds(15), () -> rounds.add("sweep"))
                .fleet("retention", Duration.ofSeconds(15), () -> rounds.add("retention"))
                .start();

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(rounds).containsExactly("retention", "retention");
        assertThat(leases.asked).contains("sweep");
    }

    @Test
    void aFleetLoopIsTakenOverAtTheFirstRoundAfterItsHolderLetsGo() {
        leases.heldElsewhere.add("sweep");
        work.fleet("sweep", Duration.ofSeconds(15), () -> rounds.add("sweep")).start();
        scheduler.advance(Duration.ofSeconds(15));

        leases.heldElsewhere.clear();
        scheduler.advance(Duration.ofSeconds(15));

        assertThat(rounds).containsExactly("sweep");
    }

    @Test
    void aReplicaLoopRunsWithoutALease() {
        leases.heldElsewhere.add("local sweep");
        work.replica("local sweep", Duration.ofSeconds(15), () -> rounds.add("local sweep"))
                .start();

        scheduler.advance(Duration.ofSeconds(15));

        assertThat(rounds).containsExactly("local sweep");
        assertThat(leases.asked).isEmpty();
    }

    @Test
    void aRoundThatThrowsIsCountedAndTheLoopGoesOn() {
        work.fleet("flaky", Duration.ofSeconds(10), () -> {
                    rounds.add("flaky");
                    throw new IllegalStateException("database away");
                })
                .start();

        scheduler.advance(Duration.ofSeconds(30));

        assertThat(rounds).hasSize(3);
        assertThat(work.failedRounds()).isEqualTo(3);
    }

    @Test
    void aLoopWithItsOwnSchedulerRunsThere() {
        ManualLoopScheduler own = new ManualLoopScheduler();
        work.fleet("retention", Duration.ofMinutes(10), () -> rounds.add("retention"), own)
                .start();

        scheduler.advance(Duration.ofMinutes(10));
        assertThat(rounds).isEmpty();
        own.advance(Duration.ofMinutes(10));

        assertThat(rounds).containsExactly("retention");
    }

    @Test
    void stoppingCancelsEveryLoopAndGivesUpTheLeases() {
        work.fleet("sweep", Duration.ofSeconds(15), () -> rounds.add("sweep"))
                .replica("local sweep", Duration.ofSeconds(15), () -> rounds.add("local sweep"))
                .start();

        work.stop();
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(rounds).isEmpty();
        assertThat(scheduler.active()).isZero();
        assertThat(leases.closed).isTrue();
    }

    @Test
    void twoLoopsMayNotShareAName() {
        work.fleet("sweep", Duration.ofSeconds(15), () -> {});

        assertThatThrownBy(() -> work.replica("sweep", Duration.ofSeconds(15), () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sweep");
    }

    @Test
    void aLoneServerHoldsEveryLoop() {
        PeriodicWork alone = new PeriodicWork(scheduler, LoopLeases.alone());
        alone.fleet("sweep", Duration.ofSeconds(15), () -> rounds.add("sweep")).start();

        scheduler.advance(Duration.ofSeconds(15));

        assertThat(rounds).containsExactly("sweep");
    }

    /** Leases whose holders the test decides. */
    private static final class ScriptedLeases implements LoopLeases {
        final Set<String> heldElsewhere = new HashSet<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public boolean hold(String loop) {
            asked.add(loop);
            return !heldElsewhere.contains(loop);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
