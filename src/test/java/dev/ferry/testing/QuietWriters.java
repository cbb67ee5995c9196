package dev.ferry.testing;

/**
 * Lets a test's migration route stop the test's {@link Writer}s where the route calls it
 * ({@code class:dev.ferry.testing.QuietWriters?method=now}). Only for runs inside the test's JVM.
 */
public final class QuietWriters {

    public void now() {
        Writer.stopAll();
    }
}
