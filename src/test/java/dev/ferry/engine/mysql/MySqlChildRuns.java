package dev.ferry.engine.mysql;

import dev.ferry.engine.DumpPart;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs dump and restore commands the way a pipeline would: stdout to a file, a file to stdin, and
 * the command's options file released once it has ended.
 */
final class MySqlChildRuns {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private MySqlChildRuns() {
    }

    static Path dump(DumpPart part, Path folder) throws IOException {
        Path file = folder.resolve(part.name());
        try (ChildProcess child = ChildProcess.start(part.command(), "test-dump");
             InputStream stdout = child.stdout();
             OutputStream out = Files.newOutputStream(file)) {
            child.stdin().close();
            stdout.transferTo(out);
            child.awaitSuccess(TIMEOUT, "test-dump");
        } finally {
            MySqlToolOptions.release(part.command());
        }
        return file;
    }

    static void restore(RestorePart part, Path file) throws IOException {
        try (ChildProcess child = ChildProcess.start(part.command(), "test-restore")) {
            try (OutputStream stdin = child.stdin()) {
                Files.copy(file, stdin);
            }
            child.stdout().transferTo(OutputStream.nullOutputStream());
            child.awaitSuccess(TIMEOUT, "test-restore");
        } finally {
            MySqlToolOptions.release(part.command());
        }
    }
}
