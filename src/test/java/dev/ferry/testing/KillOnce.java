package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link SelfKill}, but only the first time a route calls it
 * ({@code class:dev.ferry.testing.KillOnce?method=now}): the marker file named by the environment
 * variable {@code FERRY_TEST_KILL_MARKER} records that it did, so a resumed run goes on.
 */
public final class KillOnce {

    public void now() throws IOException, InterruptedException {
        Path marker = Path.of(System.getenv("FERRY_TEST_KILL_MARKER"));
        if (Files.exists(marker)) {
            return;
        }
        Files.writeString(marker, "killed once");
        SelfKill.now();
    }
}
