package dev.lifeline.backend.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Linux's {@code /proc} tells beyond {@link ProcessHandle}; on other systems it tells nothing.
 * The JDK counts a zombie as alive, and an agent orphaned by a server restart stays a zombie until
 * init reaps it, which some inits do late or never.
 */
final class ProcFs {
    private static final Path ROOT = Path.of("/proc");
    private static final boolean PRESENT = Files.isDirectory(ROOT.resolve("self"));

    private ProcFs() {}

    /** Whether the process has exited and only its zombie is left (or not even that). */
    static boolean isDefunct(long pid) {
        if (!PRESENT) {
            return false;
        }
        try {
            String stat = Files.readString(ROOT.resolve(Long.toString(pid)).resolve("stat"));
            int endOfName = stat.lastIndexOf(')'); // the name may itself contain ") "
            char state = endOfName > 0 && endOfName + 2 < stat.length() ? stat.charAt(endOfName + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * The environment a live process started with. It lets a restarted server learn the secrets of
     * the agents it adopts, so their consoles stay redacted. Empty where it cannot be read.
     */
    static Optional<Map<String, String>> environ(long pid) {
        if (!PRESENT) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(ROOT.resolve(Long.toString(pid)).resolve("environ"));
            return Optional.of(parseEnviron(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> parseEnviron(String environ) {
        Map<String, String> env = new HashMap<>();
        for (String entry : environ.split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }
}
