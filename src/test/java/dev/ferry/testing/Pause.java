package dev.ferry.testing;

/** Lets a test's migration route hold a run between two steps ({@code class:dev.ferry.testing.Pause?method=forSeconds(5)}). */
public final class Pause {

    private Pause() {
    }

    public static void forSeconds(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }
}
