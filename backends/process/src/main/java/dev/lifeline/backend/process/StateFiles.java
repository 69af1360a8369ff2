package dev.lifeline.backend.process;

import dev.lifeline.core.PrivateFiles;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One small file per started process under {@code <dataDir>/process/instances}, named id.pid. */
final class StateFiles {
    private static final Logger log = LoggerFactory.getLogger(StateFiles.class);
    private static final String SUFFIX = ".state";

    private final Path directory;

    StateFiles(Path directory) {
        this.directory = directory;
    }

    /** Writes atomically, so a reader never sees half a record. */
    void write(StateRecord record) throws IOException {
        PrivateFiles.directory(directory);
        Path target = fileOf(record.id(), record.process().pid());
        Path temporary = Files.createTempFile(directory, "new-", ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                record.toProperties().store(writer, "Lifeline process backend instance");
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    void delete(WorkspaceId id, long pid) {
        try {
            Files.deleteIfExists(fileOf(id, pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the state file of pid " + pid, e);
        }
    }

    /** Every readable record; unreadable files are logged and skipped, never deleted. */
    List<StateRecord> readAll() throws IOException {
        List<StateRecord> records = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                read(file).ifPresent(records::add);
            }
        }
        return records;
    }

    private Optional<StateRecord> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return Optional.of(StateRecord.fromProperties(properties));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // stopped while we listed
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping unreadable instance state file {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private Path fileOf(WorkspaceId id, long pid) {
        return directory.resolve(id + "." + pid + SUFFIX);
    }
}
