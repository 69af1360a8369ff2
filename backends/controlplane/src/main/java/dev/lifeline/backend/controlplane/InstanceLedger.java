package dev.lifeline.backend.controlplane;

import dev.lifeline.core.InstanceRef;
import dev.lifeline.core.OwnedInstance;
import dev.lifeline.core.PrivateFiles;
import dev.lifeline.core.WorkspaceId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The instances this server provisioned and has not terminated, one small file each (readable by
 * this user only, like the directory), so that a restarted server can still list, adopt or reap
 * them. The control-plane contract has no "list my instances" call, so this is the only record of
 * what this server owns.
 */
final class InstanceLedger {
    private static final String PREFIX = "instance-";
    private static final String SUFFIX = ".properties";

    private final Path dir;
    private final String serverId;

    InstanceLedger(Path dir, String serverId) {
        this.dir = dir;
        this.serverId = serverId;
    }

    void add(OwnedInstance instance) throws IOException {
        PrivateFiles.directory(dir);
        Properties p = new Properties();
        p.setProperty("workspace", instance.id().toString());
        p.setProperty("generation", Long.toString(instance.generation()));
        p.setProperty("instance", instance.ref().value());
        p.setProperty("server", serverId);
        Path tmp = Files.createTempFile(dir, "tmp-", SUFFIX);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        Files.move(tmp, fileOf(instance.ref()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void remove(InstanceRef ref) {
        try {
            Files.deleteIfExists(fileOf(ref));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This server's instances; files of other servers and unreadable files are skipped. */
    List<OwnedInstance> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<OwnedInstance> owned = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
                    read(file).ifPresent(owned::add);
                }
            }
        }
        return owned;
    }

    private java.util.Optional<OwnedInstance> read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            if (!serverId.equals(p.getProperty("server"))) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new OwnedInstance(
                    WorkspaceId.parse(p.getProperty("workspace", "")),
                    Long.parseLong(p.getProperty("generation", "")),
                    new InstanceRef(p.getProperty("instance", ""))));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // half-written or foreign; never worth failing a listing
        }
    }

    private Path fileOf(InstanceRef ref) {
        return dir.resolve(PREFIX + URLEncoder.encode(ref.value(), StandardCharsets.UTF_8) + SUFFIX);
    }
}
