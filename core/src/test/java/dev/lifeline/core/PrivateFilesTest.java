package dev.lifeline.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path root;

    @BeforeEach
    void needsPosixPermissions() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
    }

    @Test
    void aNewDirectoryWithItsParentsAndANewFileAreTheOwnersOnly() throws IOException {
        Path directory = PrivateFiles.directory(root.resolve("data/process"));
        Path file = PrivateFiles.file(directory.resolve("agent.log"));

        assertThat(mode(root.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(directory)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void anExistingDirectoryOrFileOpenToOthersLosesOnlyTheirPermissions() throws IOException {
        Path directory = Files.createDirectory(root.resolve("data"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));
        Path file = Files.writeString(directory.resolve("lifeline.mv.db"), "kept");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--rw-r--"));

        PrivateFiles.directory(directory);
        PrivateFiles.file(file);

        assertThat(mode(directory)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("r--------");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
