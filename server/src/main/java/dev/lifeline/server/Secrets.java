package dev.lifeline.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/**
 * Files in the data directory that must survive restarts: the admin token, the server id and the
 * secret the dashboard's session cookies are signed with.
 */
final class Secrets {
    private Secrets() {}

    /** The configured admin token, else the one in {@code admin-token}, created (mode 0600) if absent. */
    static String adminToken(Optional<String> configured, Path dataDir) {
        return configured.orElseGet(
                () -> readOrCreate(dataDir.resolve("admin-token"), dev.lifeline.core.WorkspaceTokens::mint));
    }

    /** This server's instance id, stamped on everything it runs so it can find them again. */
    static String serverId(Path dataDir) {
        return readOrCreate(
                dataDir.resolve("server-id"), () -> UUID.randomUUID().toString());
    }

    /** 32 random bytes, created (mode 0600) on first use; deleting the file ends every dashboard session. */
    static byte[] sessionSecret(Path dataDir) {
        return java.util.Base64.getDecoder().decode(readOrCreate(dataDir.resolve("session-key"), () -> {
            byte[] secret = new byte[32];
            new java.security.SecureRandom().nextBytes(secret);
            return java.util.Base64.getEncoder().encodeToString(secret);
        }));
    }

    private static String readOrCreate(Path file, java.util.function.Supplier<String> fresh) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.getParent());
            String value = fresh.get();
            Path tmp = Files.createTempFile(
                    file.getParent(),
                    ".secret",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
