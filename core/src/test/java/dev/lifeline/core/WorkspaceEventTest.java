package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkspaceEventTest {
    @Test
    void anAnswersPreviewIsMadeWhenTheEventIsFirstShownAndOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        var event = new WorkspaceEvent.A2aResponse(
                new WorkspaceId(UUID.randomUUID()),
                () -> {
                    made.incrementAndGet();
                    return new AnswerPreview("ok", 2, false);
                },
                "SendMessage",
                12);

        assertThat(made).hasValue(0);
        assertThat(event.payload()).containsEntry("response_body", "ok").containsEntry("response_size", 2L);
        assertThat(event.payload()).containsEntry("response_truncated", false);
        assertThat(made).hasValue(1);
    }
}
