package dev.lifeline.store;

import java.util.concurrent.atomic.AtomicInteger;

/** The call queue on H2, where claims are guarded updates. */
class H2CallQueueTest extends CallQueueContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected Database emptyDatabase() {
        return new Database("jdbc:h2:mem:queue-" + DATABASES.incrementAndGet(), null, null);
    }
}
