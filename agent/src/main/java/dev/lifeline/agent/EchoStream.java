package dev.lifeline.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The streamed echo: a task is submitted, starts working, the echo arrives in chunks as one
 * artifact, and a final status update completes the task with the whole echo as its message.
 */
final class EchoStream {

    static final int DEFAULT_CHUNKS = 3;

    private final TaskStore tasks;
    private final InstantSource clock;

    EchoStream(TaskStore tasks, InstantSource clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Where the events go, e.g. an SSE response. */
    @FunctionalInterface
    interface Sink {
        void send(JsonNode event) throws IOException;
    }

    static String echoOf(String text) {
        return "echo: " + text;
    }

    /**
     * Streams the echo of {@code user} in {@code chunks} pieces, waiting {@code gap} before each.
     *
     * @return false when interrupted (the agent is closing) before the end
     */
    boolean run(Sink sink, Dialect dialect, ChatMessage user, int chunks, Duration gap) throws IOException {
        String taskId = user.taskId() == null ? UUID.randomUUID().toString() : user.taskId();
        ChatMessage asked = user.inTask(taskId);
        TaskSnapshot submitted = publish(taskId, asked, TaskState.SUBMITTED, null, List.of());
        sink.send(dialect.taskEvent(submitted));
        TaskSnapshot working = publish(taskId, asked, TaskState.WORKING, null, List.of());
        sink.send(dialect.statusEvent(working, false));

        String reply = echoOf(user.text());
        String artifactId = UUID.randomUUID().toString();
        List<String> pieces = split(reply, chunks);
        for (int i = 0; i < pieces.size(); i++) {
            if (!gap.isZero() && !pause(gap)) {
                return false;
            }
            var chunk = new TaskSnapshot.Artifact(artifactId, "echo", pieces.get(i));
            sink.send(dialect.artifactEvent(working, chunk, i > 0, i == pieces.size() - 1));
        }
        var answer =
                new ChatMessage(UUID.randomUUID().toString(), ChatMessage.Role.AGENT, reply, user.contextId(), taskId);
        var artifact = new TaskSnapshot.Artifact(artifactId, "echo", reply);
        TaskSnapshot completed = publish(taskId, asked, TaskState.COMPLETED, answer, List.of(artifact));
        sink.send(dialect.statusEvent(completed, true));
        return true;
    }

    /**
     * Sleeps on the calling (virtual) thread.
     *
     * @return false when interrupted, with the interrupt flag restored
     */
    static boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Splits {@code text} into {@code count} pieces of nearly equal length (some empty if it is short). */
    static List<String> split(String text, int count) {
        int[] codePoints = text.codePoints().toArray();
        List<String> pieces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = (int) ((long) i * codePoints.length / count);
            int to = (int) ((long) (i + 1) * codePoints.length / count);
            pieces.add(new String(codePoints, from, to - from));
        }
        return pieces;
    }

    private TaskSnapshot publish(
            String taskId,
            ChatMessage asked,
            TaskState state,
            @Nullable ChatMessage answer,
            List<TaskSnapshot.Artifact> artifacts) {
        List<ChatMessage> history = answer == null ? List.of(asked) : List.of(asked, answer);
        var task = new TaskSnapshot(taskId, asked.contextId(), state, clock.instant(), answer, history, artifacts);
        tasks.put(task);
        return task;
    }
}
