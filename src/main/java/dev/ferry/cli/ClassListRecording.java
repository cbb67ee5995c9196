package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The list of loaded classes the launcher asked the JVM to record ({@code -XX:DumpLoadedClassList},
 * named by {@code ferry.cds.recording}) is kept for the launcher's class-data-sharing archive only
 * when the command succeeded: a run that stopped early loaded too few classes to be worth mapping.
 * The JVM goes on appending to the renamed file until it exits.
 */
final class ClassListRecording {

    static final String PROPERTY = "ferry.cds.recording";

    private ClassListRecording() {
    }

    static void keepIfSucceeded(int exitCode) {
        String recording = System.getProperty(PROPERTY);
        if (recording == null || !recording.endsWith(".recording")) {
            return;
        }
        Path file = Path.of(recording);
        try {
            if (exitCode == FerryCli.DONE) {
                String name = file.getFileName().toString();
                Files.move(file, file.resolveSibling(name.substring(0, name.length() - ".recording".length()) + ".classlist"),
                        StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // only start-up time depends on it: the next successful run records again
        }
    }
}
