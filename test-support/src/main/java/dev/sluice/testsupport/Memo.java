package dev.sluice.testsupport;

import java.util.function.Supplier;

/** Computes a value once per JVM; a failure is kept and thrown again, so it is not retried per test. */
final class Memo<T> implements Supplier<T> {

    private final Supplier<T> supplier;
    private T value;
    private RuntimeException failure;

    Memo(Supplier<T> supplier) {
        this.supplier = supplier;
    }

    @Override
    public synchronized T get() {
        if (value == null && failure == null) {
            try {
                value = supplier.get();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
