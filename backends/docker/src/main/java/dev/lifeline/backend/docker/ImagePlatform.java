package dev.lifeline.backend.docker;

import java.util.Locale;
import java.util.Optional;

/**
 * The platform an image is pulled and run for, such as {@code linux/amd64}.
 *
 * @param os the operating system part, before the first {@code /}
 * @param arch the architecture part, everything after the first {@code /} (so it may hold a variant)
 */
public record ImagePlatform(String os, String arch) {

    public ImagePlatform {
        if (os.isBlank() || arch.isBlank()) {
            throw new IllegalArgumentException("platform needs an os and an architecture, as in linux/amd64");
        }
    }

    /** Splits {@code os/arch} at the first slash; empty when either part is missing. */
    public static Optional<ImagePlatform> parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        if (slash <= 0 || slash == trimmed.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ImagePlatform(trimmed.substring(0, slash), trimmed.substring(slash + 1)));
    }

    /**
     * The platform to force when none is configured: {@code linux/amd64} on an arm64 Mac, whose
     * Docker would otherwise look for arm64 images that agent images rarely publish; none elsewhere.
     */
    public static Optional<ImagePlatform> automatic(String osName, String osArch) {
        boolean mac = osName.toLowerCase(Locale.ROOT).startsWith("mac");
        boolean arm = osArch.equals("aarch64") || osArch.equals("arm64");
        return mac && arm ? Optional.of(new ImagePlatform("linux", "amd64")) : Optional.empty();
    }

    @Override
    public String toString() {
        return os + "/" + arch;
    }
}
