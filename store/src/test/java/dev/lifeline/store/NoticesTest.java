package dev.lifeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.PublishedEvent;
import dev.lifeline.core.WorkspaceEvent;
import dev.lifeline.core.WorkspaceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoticesTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00.123456Z");
    private static final WorkspaceId ID = WorkspaceId.random();

    @Test
    void aBroadcastNoticeReadsBackAsTheEventItCarries() {
        String notice = Notices.broadcast(
                "lifeline:a", new PublishedEvent(new WorkspaceEvent.TaskUpdated(ID, "line 1\nline 2", 1), AT), 7900);

        Notices.EventNotice read = Notices.event(notice).orElseThrow();

        assertThat(read.origin()).isEqualTo("lifeline:a");
        assertThat(read.id()).isZero();
        assertThat(read.type()).isEqualTo("TASK_UPDATED");
        assertThat(read.workspaceId()).isEqualTo(ID);
        assertThat(read.at()).isEqualTo(AT);
        assertThat(read.payloadJson()).contains("\"current_task\":\"line 1\\nline 2\"");
    }

    @Test
    void noBroadcastNoticeOutgrowsItsBoundWhateverItsPayload() {
        Map<String, Object> manySmallFields = new LinkedHashMap<>();
        IntStream.range(0, 2_000).forEach(i -> manySmallFields.put("field_" + i, "é".repeat(200)));
        WorkspaceEvent wide = new WorkspaceEvent.ActivityLogged(ID, manySmallFields);
        WorkspaceEvent deep = new WorkspaceEvent.ActivityLogged(ID, Map.of("body", Map.of("text", "x".repeat(50_000))));

        for (WorkspaceEvent event : new WorkspaceEvent[] {wide, deep}) {
            String notice = Notices.broadcast("lifeline:a", new PublishedEvent(event, AT), 7900);

            assertThat(notice.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(7900);
            assertThat(Notices.event(notice).orElseThrow().payloadJson()).contains("\"truncated\":true");
        }
    }

    @Test
    void aMalformedNoticeIsIgnored() {
        assertThat(Notices.event("lifeline:a\nnot-a-number\nX\n" + ID + "\n0\n{}"))
                .isEmpty();
        assertThat(Notices.row("lifeline:a\nnot-a-uuid")).isEmpty();
        assertThat(Notices.row("lifeline:a\n" + ID).orElseThrow().workspaceId()).isEqualTo(ID);
    }
}
