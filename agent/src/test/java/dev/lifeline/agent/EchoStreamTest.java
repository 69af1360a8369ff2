package dev.lifeline.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EchoStreamTest {

    @Test
    void splitsTextIntoNearlyEqualPiecesThatJoinBack() {
        assertThat(EchoStream.split("echo: hello", 3)).containsExactly("ech", "o: h", "ello");
        assertThat(String.join("", EchoStream.split("echo: 😀😀", 4))).isEqualTo("echo: 😀😀");
    }

    @Test
    @Timeout(5) // without the failed status, the subscriber would wait forever
    void aTaskWhoseWorkBreaksEndsFailedSoThatNoStreamWaitsForItForever() throws Exception {
        TaskStore tasks = new TaskStore(10);
        AtomicInteger reads = new AtomicInteger();
        InstantSource clock = () -> {
            if (reads.incrementAndGet() == 3) {
                throw new IllegalStateException("the clock broke while completing the task");
            }
            return Instant.EPOCH;
        };
        EchoStream echo = new EchoStream(tasks, clock);
        TaskSnapshot task = echo.submit(new ChatMessage("m-1", ChatMessage.Role.USER, "hi", "ctx", null));

        try (TaskStore.Subscription subscription = tasks.subscribe(task.id())) {
            assertThatThrownBy(() -> echo.work(task, 1, Duration.ZERO)).isInstanceOf(IllegalStateException.class);

            TaskEvent event;
            do {
                event = subscription.next();
            } while (!event.last());
            assertThat(event.task().state()).isEqualTo(TaskState.FAILED);
        }
        assertThat(tasks.known(task.id()).state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void shortTextLeavesSomePiecesEmpty() {
        assertThat(EchoStream.split("ab", 4)).containsExactly("", "a", "", "b");
    }
}
