package dev.lifeline.server;

import static java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.GROUP_WRITE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeline.store.Stores;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds the database, the admin token and the agents' logs: nothing in it is
 * open to other users of the machine, whatever the umask the server was started with.
 */
class DataDirectoryPermissionsTest {
    private static final Set<PosixFilePermission> OTHERS =
            Set.of(GROUP_READ, GROUP_WRITE, GROUP_EXECUTE, OTHERS_READ, OTHERS_WRITE, OTHERS_EXECUTE);

    @TempDir
    Path parent;

    @BeforeEach
    void needsPosixPermissions() {
        assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "needs a file system with POSIX permissions");
    }

    @Test
    void nothingLifelineWritesInANewDataDirectoryIsOpenToOtherUsers() throws IOException {
        Path dataDir = parent.resolve("data");

        try (TestServer server = TestServer.start(dataDir, Map.of("LIFELINE_ADMIN_TOKEN", ""))) {
            ApiClient api = new ApiClient(server.url(), server.server.adminToken());
            ApiClient.Reply created = api.post("/workspaces", Map.of("name", "private", "runtime", "echo"));
            String id = created.json().get("id").asText();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/workspaces/" + id)
                        .json()
                        .get("status")
                        .asText()
                        .equals("online"));

                assertThat(openToOthers(dataDir)).isEmpty();
                assertThat(dataDir.resolve("admin-token")).exists();
                assertThat(dataDir.resolve("lifeline.mv.db")).exists();
                assertThat(dataDir.resolve("lifeline-activity.mv.db")).exists();
                assertThat(dataDir.resolve("process/logs/" + id + ".log")).exists();
            } finally {
                api.delete("/workspaces/" + id); // its agent outlives the server otherwise
            }
        }
    }

    @Test
    void anExistingDataDirectoryOpenToOthersIsMadePrivate() throws IOException {
        Path dataDir = Files.createDirectory(parent.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Stores.open(Stores.embeddedUrl(dataDir), null, null).close();
        Files.setPosixFilePermissions(dataDir.resolve("lifeline.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(
                dataDir.resolve("lifeline-activity.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        try (TestServer server = TestServer.start(dataDir)) {
            assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(openToOthers(dataDir)).isEmpty();
        }
    }

    /** Every path under {@code root} (itself included) with a group or other permission, and those bits. */
    private static Map<Path, Set<PosixFilePermission>> openToOthers(Path root) throws IOException {
        Map<Path, Set<PosixFilePermission>> open = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
                permissions.retainAll(OTHERS);
                if (!permissions.isEmpty()) {
                    open.put(root.relativize(path), permissions);
                }
            }
        }
        return open;
    }
}
