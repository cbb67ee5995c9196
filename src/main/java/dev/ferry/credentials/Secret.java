package dev.ferry.credentials;

import java.util.Objects;

/**
 * A credential value held only in memory. Its {@code toString} never shows the value, and every
 * secret is registered with the {@link Redactor} so that text passing through logs, reports and
 * error messages is scrubbed of it.
 */
public final class Secret {

    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
        Redactor.register(value);
    }

    /** @param origin where the value came from, safe to record (for example {@code env:PGPASSWORD}). */
    public static Secret of(String value, String origin) {
        return new Secret(value, origin);
    }

    /** The value itself: only for handing to a child's environment, a 0600 file or a driver. */
    public String reveal() {
        return value;
    }

    /** Where the value came from, never the value. */
    public String origin() {
        return origin;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return "****(" + origin + ")";
    }
}
