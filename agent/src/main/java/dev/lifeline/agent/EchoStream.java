package dev.lifeline.agent;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The streamed echo as a task: it is submitted, starts working, the echo arrives in chunks as one
 * artifact, and a final status update completes it with the whole echo as its message.
 *
 * <p>The work runs apart from any stream watching it (streams subscribe through the {@link
 * TaskStore}), so a caller that goes away does not stop it, and a cancel does.
 */
final class EchoStream {

    static final int DEFAULT_CHUNKS = 3;

    private final TaskStore tasks;
    private final InstantSource clock;

    EchoStream(TaskStore tasks, InstantSource clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    static String echoOf(String text) {
        return "echo: " + text;
    }

    /** Creates a new task, submitted, for {@code user}'s message; the task id is always this agent's own. */
    TaskSnapshot submit(ChatMessage user) {
        String taskId = UUID.randomUUID().toString();
        var task = new TaskSnapshot(
                taskId,
                user.contextId(),
                TaskState.SUBMITTED,
                clock.instant(),
                null,
                List.of(user.inTask(taskId)),
                List.of());
        tasks.create(task);
        return task;
    }

    /**
     * Works on a submitted task: streams the echo in {@code chunks} pieces, waiting {@code gap} before
     * each, then completes it. Stops early when the task is canceled or the thread is interrupted.
     */
    void work(TaskSnapshot submitted, int chunks, Duration gap) {
        try {
            echo(submitted, chunks, gap);
        } catch (RuntimeException e) {
            // a task nobody finishes would hold its subscribers' streams open for good
            TaskSnapshot latest = tasks.get(submitted.id()).orElse(submitted);
            tasks.publish(new TaskEvent.StatusChanged(latest.withState(TaskState.FAILED, clock.instant())));
            throw e;
        }
    }

    private void echo(TaskSnapshot submitted, int chunks, Duration gap) {
        ChatMessage asked = submitted.history().getFirst();
        TaskSnapshot working = submitted.withState(TaskState.WORKING, clock.instant());
        if (!tasks.publish(new TaskEvent.StatusChanged(working))) {
            return;
        }
        String reply = echoOf(asked.text());
        String artifactId = UUID.randomUUID().toString();
        List<String> pieces = split(reply, chunks);
        for (int i = 0; i < pieces.size(); i++) {
            if (!gap.isZero() && !pause(gap)) {
                return;
            }
            var chunk = new TaskSnapshot.Artifact(artifactId, "echo", pieces.get(i));
            var event = new TaskEvent.ArtifactChunk(working, chunk, i > 0, i == pieces.size() - 1);
            if (!tasks.publish(event)) {
                return;
            }
        }
        var answer = new ChatMessage(
                UUID.randomUUID().toString(), ChatMessage.Role.AGENT, reply, asked.contextId(), submitted.id());
        var completed = new TaskSnapshot(
                submitted.id(),
                asked.contextId(),
                TaskState.COMPLETED,
                clock.instant(),
                answer,
                List.of(asked, answer),
                List.of(new TaskSnapshot.Artifact(artifactId, "echo", reply)));
        tasks.publish(new TaskEvent.StatusChanged(completed));
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
}
