package dev.lifeline.backend.process;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Creates the backend's directories readable by this user only: agent logs may hold secrets. */
final class PrivateDirectories {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateDirectories() {}

    static Path create(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return directory;
        }
        if (!POSIX) {
            return Files.createDirectories(directory);
        }
        return Files.createDirectories(
                directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
