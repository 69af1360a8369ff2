package dev.lifeline.proxy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The caller's end of a call, which the proxy watches while the call waits for its workspace. */
@FunctionalInterface
public interface CallerLine {

    /** A caller whose departure cannot be seen. */
    CallerLine UNWATCHED = CompletableFuture::new;

    /** Completes when the caller hangs up; the first request for it starts the watching. */
    CompletionStage<Void> hungUp();
}
