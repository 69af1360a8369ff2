package dev.lifeline.backend.process;

import dev.lifeline.core.PrivateFiles;
import dev.lifeline.core.Redaction;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The per-workspace log files under {@code <dataDir>/process/logs}, readable by this user only, and
 * the secrets to hide when showing them. Secrets are known for workspaces started or adopted by this
 * server; the console of any other workspace is withheld rather than shown unredacted.
 */
final class ConsoleLogs {
    static final int TAIL_CHARS = 64 * 1024;
    /** Tokens change with every generation; the file may hold output of this many earlier ones. */
    private static final int REMEMBERED_GENERATIONS = 16;

    private final Path directory;
    private final Map<WorkspaceId, List<Redaction>> secrets = new ConcurrentHashMap<>();

    ConsoleLogs(Path directory) {
        this.directory = directory;
    }

    Path fileOf(WorkspaceId id) {
        return directory.resolve(id + ".log");
    }

    /** Appends the line that separates one generation's output from the previous one's. */
    void beginGeneration(WorkspaceId id, long generation) throws IOException {
        PrivateFiles.directory(directory);
        Path file = PrivateFiles.file(fileOf(id));
        String lead = Files.size(file) > 0 ? "\n" : "";
        Files.writeString(
                file, lead + "----- lifeline: generation " + generation + " -----\n", StandardOpenOption.APPEND);
    }

    void remember(WorkspaceId id, Redaction redaction) {
        secrets.merge(id, List.of(redaction), (known, fresh) -> Stream.concat(fresh.stream(), known.stream())
                .limit(REMEMBERED_GENERATIONS)
                .toList());
    }

    boolean knows(WorkspaceId id) {
        return secrets.containsKey(id);
    }

    /** The last {@link #TAIL_CHARS} characters, redacted; empty without a file or known secrets. */
    Optional<String> tail(WorkspaceId id) throws IOException {
        List<Redaction> known = secrets.get(id);
        if (known == null) {
            return Optional.empty();
        }
        Redaction redaction = known.stream().reduce(new Redaction(List.of()), Redaction::and);
        try {
            return Optional.of(tail(fileOf(id), redaction));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String tail(Path file, Redaction redaction) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            // Read far enough back that a secret reaching into the shown part is read whole.
            long from = Math.max(0, size - 4L * TAIL_CHARS - redaction.longestBytes());
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, from + buffer.position()) < 0) {
                    break;
                }
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            String shown = redaction.apply(from > 0 ? afterFirstLine(text) : text);
            return shown.length() > TAIL_CHARS ? afterFirstLine(shown.substring(shown.length() - TAIL_CHARS)) : shown;
        }
    }

    /** Drops a line cut by the window: it may hold half a character or half a secret. */
    private static String afterFirstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(newline + 1);
    }
}
