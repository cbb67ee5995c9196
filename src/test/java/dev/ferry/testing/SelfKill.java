package dev.ferry.testing;

import java.io.IOException;

/**
 * Lets a test's migration route SIGKILL the Ferry process it runs in, right where the route calls it
 * ({@code class:dev.ferry.testing.SelfKill?method=now}): after the step before it returned, before
 * Ferry journals that step's end. Only for routes run through {@link FerryProcess}.
 */
public final class SelfKill {

    private SelfKill() {
    }

    public static void now() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        Thread.sleep(60_000);
    }
}
