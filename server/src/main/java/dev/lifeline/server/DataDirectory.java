package dev.lifeline.server;

import dev.lifeline.core.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data directory, private to the user Lifeline runs as: it holds the database, the admin token
 * and the agents' logs. The directory is kept 0700 and what Lifeline writes there 0600, whatever the
 * umask; files that H2 or an agent creates later are covered by the directory (and by the launcher,
 * which runs the server under umask 077).
 */
final class DataDirectory {
    /**
     * The embedded database's files: {@code lifeline.mv.db}, H2's companions, and the audit trail's
     * journal {@code lifeline-activity.mv.db}.
     */
    private static final String EMBEDDED_DATABASE_FILES = "lifeline{.*,-activity.*}";

    private DataDirectory() {}

    /** Creates {@code dataDir} 0700, or takes group and other permissions from an existing one. */
    static void prepare(Path dataDir) {
        try {
            PrivateFiles.directory(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
    }

    /**
     * Takes group and other permissions from the embedded database's files, which H2 creates under
     * the umask.
     */
    static void restrictEmbeddedDatabase(Path dataDir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, EMBEDDED_DATABASE_FILES)) {
            for (Path file : files) {
                PrivateFiles.restrict(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the database files in " + dataDir + " private", e);
        }
    }
}
