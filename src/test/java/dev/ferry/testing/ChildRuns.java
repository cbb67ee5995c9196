package dev.ferry.testing;

import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs an engine's dump and restore commands the way a pipeline would: stdout to a file, a file to
 * stdin, and whatever the engine made for the command (a MySQL option file) released once it has ended.
 */
public final class ChildRuns {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private ChildRuns() {
    }

    public static Path dump(Engine engine, DumpPart part, Path folder) throws IOException {
        Path file = folder.resolve(part.name());
        try (ChildProcess child = ChildProcess.start(part.command(), "test-dump");
             InputStream stdout = child.stdout();
             OutputStream out = Files.newOutputStream(file)) {
            child.stdin().close();
            stdout.transferTo(out);
            child.awaitSuccess(TIMEOUT, "test-dump");
        } finally {
            engine.release(part.command());
        }
        return file;
    }

    /** Restores {@code file} through stdin and fails on any stderr error line the part does not tolerate. */
    public static void restore(Engine engine, RestorePart part, Path file) throws IOException {
        run(engine, part, file);
    }

    /** Runs a restore that names its input file itself (a parallel restore), giving it no stdin. */
    public static void restoreNamedFile(Engine engine, RestorePart part) throws IOException {
        run(engine, part, null);
    }

    private static void run(Engine engine, RestorePart part, Path stdinFile) throws IOException {
        ChildCommand command = part.command();
        try (ChildProcess child = ChildProcess.start(command, "test-restore")) {
            try (OutputStream stdin = child.stdin()) {
                if (stdinFile != null) {
                    Files.copy(stdinFile, stdin);
                }
            }
            child.stdout().transferTo(OutputStream.nullOutputStream());
            child.awaitSuccess(TIMEOUT, "test-restore");
            Arrays.stream(child.stderrTail().split("\n"))
                    .filter(line -> line.contains("ERROR"))
                    .forEach(line -> assertThat(part.tolerated()).anySatisfy(fragment -> assertThat(line).contains(fragment)));
        } finally {
            engine.release(command);
        }
    }
}
