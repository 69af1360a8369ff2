package dev.lifeline.core;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value made when it is first asked for, then kept. Two threads asking first at the same moment
 * may both make it, so making it must be free of side effects and give equal values.
 */
final class Once<T> implements Supplier<T> {
    private final Supplier<T> maker;
    private volatile @Nullable T made;

    Once(Supplier<T> maker) {
        this.maker = maker;
    }

    @Override
    public T get() {
        T value = made;
        if (value == null) {
            value = Objects.requireNonNull(maker.get(), "a value made once cannot be null");
            made = value;
        }
        return value;
    }
}
