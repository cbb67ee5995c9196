package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a test's migration route end a Ferry process on the spot, as SIGKILL would (no clean-ups, no
 * shutdown hooks), between two steps: {@code to: "class:dev.ferry.testing.Halt?method=onceIfArmed"}
 * halts the JVM when the file named by {@value #ARMING_FILE} exists, deleting it first, so the
 * resume runs the same route through.
 */
public final class Halt {

    public static final String ARMING_FILE = "FERRY_TEST_HALT_FILE";

    private Halt() {
    }

    public static void onceIfArmed() throws IOException {
        String file = System.getenv(ARMING_FILE);
        if (file != null && Files.deleteIfExists(Path.of(file))) {
            Runtime.getRuntime().halt(137);
        }
    }
}
