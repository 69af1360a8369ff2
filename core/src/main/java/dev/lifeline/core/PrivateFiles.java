package dev.lifeline.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories that only the user Lifeline runs as may open: the data directory and what
 * Lifeline keeps there (the database, the admin token, instance records, agents' logs, which may
 * hold secrets). They are created so whatever the umask (directories 0700, files 0600), and lose
 * any group or other permission when found with one. A file system without POSIX permissions is left
 * as it is.
 */
public final class PrivateFiles {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /** {@code directory}, created with any missing parent, or made private if it exists. */
    public static Path directory(Path directory) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(directory);
        }
        if (Files.isDirectory(directory)) {
            restrict(directory);
            return directory;
        }
        return Files.createDirectories(
                directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** {@code file}, created empty if absent, or made private if it exists. */
    public static Path file(Path file) throws IOException {
        try {
            return POSIX
                    ? Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            restrict(file);
            return file;
        }
    }

    /** Takes every group and other permission from an existing {@code path}. */
    public static void restrict(Path path) throws IOException {
        if (!POSIX) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (permissions.removeAll(GROUP_AND_OTHERS)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
