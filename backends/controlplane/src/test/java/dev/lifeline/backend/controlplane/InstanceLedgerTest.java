package dev.lifeline.backend.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLedgerTest {
    @TempDir
    Path dataDir;

    @Test
    void theLedgerAndItsDirectoriesAreReadableByTheirOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        Path dir = dataDir.resolve("controlplane").resolve("instances");
        OwnedInstance instance = new OwnedInstance(WorkspaceId.random(), 1, new InstanceRef("i-0123"));

        new InstanceLedger(dir, "server-1").add(instance);

        assertThat(mode(dir.getParent())).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(mode(written.getFirst())).isEqualTo("rw-------");
        }
        assertThat(new InstanceLedger(dir, "server-1").all()).containsExactly(instance);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
