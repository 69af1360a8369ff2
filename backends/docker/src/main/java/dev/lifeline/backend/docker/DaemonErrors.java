package dev.lifeline.backend.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Reads the Docker daemon's error answers: which mean "gone", which mean "can't tell". */
final class DaemonErrors {
    private DaemonErrors() {}

    /** The container (or image, volume) does not exist: a 404, or a daemon message saying so. */
    static boolean isNotFound(Throwable error) {
        if (error instanceof NotFoundException) {
            return true;
        }
        String message = lower(error.getMessage());
        return message.contains("no such container") || message.contains("not found");
    }

    /** Creating a container failed because its image is missing, not for another reason. */
    static boolean isImageNotFound(@Nullable String message) {
        String text = lower(message);
        return text.contains("no such image") || (text.contains("not found") && text.contains("image"));
    }

    /** Another removal of the same container is under way: for a stop, as good as done. */
    static boolean isRemovalInProgress(@Nullable String message) {
        return lower(message).contains("removal of container") && lower(message).contains("already in progress");
    }

    private static String lower(@Nullable String message) {
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
