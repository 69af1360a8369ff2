package dev.lifeline.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeline.core.Redaction;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogsTest {
    private static final String SECRET = "a-secret-of-forty-three-characters-exactly";

    @TempDir
    Path directory;

    private final WorkspaceId id = WorkspaceId.random();

    @Test
    void theTailIsTheNewestSixtyFourKibibytes() throws IOException {
        ConsoleLogs logs = logsWith(List.of());
        write("old line\n".repeat(20_000) + "newest line\n");

        String tail = logs.tail(id).orElseThrow();

        assertThat(tail).hasSizeLessThanOrEqualTo(ConsoleLogs.TAIL_CHARS).endsWith("newest line\n");
        assertThat(tail).startsWith("old line\n");
    }

    @Test
    void aSecretCutInHalfByTheWindowNeverShowsEitherHalf() throws IOException {
        ConsoleLogs logs = logsWith(List.of(SECRET));
        int keptOfSecret = 20;
        String newest = "\n" + "y".repeat(ConsoleLogs.TAIL_CHARS - keptOfSecret - 2) + "\n";
        write("old\n".repeat(70_000) + SECRET + newest);

        String tail = logs.tail(id).orElseThrow();

        assertThat(tail).doesNotContain(SECRET.substring(SECRET.length() - keptOfSecret));
        assertThat(tail).endsWith(newest.substring(1));
    }

    @Test
    void everyGenerationsSecretsAreRedacted() throws IOException {
        ConsoleLogs logs = new ConsoleLogs(directory);
        logs.remember(id, Redaction.of(Map.of("WORKSPACE_AUTH_TOKEN", "first-generation-token")));
        logs.remember(id, Redaction.of(Map.of("WORKSPACE_AUTH_TOKEN", "second-generation-token")));
        write("first-generation-token\nsecond-generation-token\n");

        assertThat(logs.tail(id)).contains("[redacted]\n[redacted]\n");
    }

    @Test
    void theConsoleOfAWorkspaceWhoseSecretsAreUnknownIsWithheld() throws IOException {
        write("anything\n");

        assertThat(new ConsoleLogs(directory).tail(id)).isEmpty();
    }

    @Test
    void aWorkspaceWithoutAFileHasNoConsole() throws IOException {
        assertThat(logsWith(List.of()).tail(id)).isEmpty();
    }

    @Test
    void aWorkspacesLogIsReadableByItsOwnerOnly() throws IOException {
        Path logs = directory.resolve("logs");

        new ConsoleLogs(logs).beginGeneration(id, 1);

        assertThat(Files.getPosixFilePermissions(logs)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(logs.resolve(id + ".log")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    private ConsoleLogs logsWith(List<String> secrets) {
        ConsoleLogs logs = new ConsoleLogs(directory);
        logs.remember(id, new Redaction(secrets));
        return logs;
    }

    private void write(String text) throws IOException {
        Files.writeString(directory.resolve(id + ".log"), text);
    }
}
