package dev.doublelock.io;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use, once, however many threads ask at the same time (double-checked, the factory runs
 * at most once unless it throws). For what costs at start and may never be needed: the system's resolver, an
 * HTTPS client.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> factory;
    private final String what;
    private volatile T value;

    private Lazy(Supplier<? extends T> factory, String what) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.what = what;
    }

    /** {@code what} names the value in the error when the factory returns null. */
    public static <T> Lazy<T> of(Supplier<? extends T> factory, String what) {
        return new Lazy<>(factory, what);
    }

    /** A value already made. */
    public static <T> Lazy<T> ofValue(T value) {
        Lazy<T> lazy = new Lazy<>(() -> value, "value");
        lazy.value = Objects.requireNonNull(value, "value");
        return lazy;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(factory.get(), () -> "the factory of the " + what + " returned null");
                    value = v;
                }
            }
        }
        return v;
    }
}
