package dev.lifeline.store;

import dev.lifeline.core.StoreException;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/** A database call's failure as the store reports it: a {@link StoreException} naming the operation. */
final class StoreCalls {
    private StoreCalls() {}

    static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (JdbiException e) {
            throw new StoreException("could not " + operation, e);
        }
    }

    static void run(String operation, Runnable body) {
        call(operation, () -> {
            body.run();
            return null;
        });
    }
}
