package dev.ferry.engine.postgres;

import dev.ferry.engine.DumpPart;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs dump and restore commands the way a pipeline would: stdout to a file, a file to stdin. */
final class ChildRuns {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private ChildRuns() {
    }

    static Path dump(DumpPart part, Path folder) throws IOException {
        Path file = folder.resolve(part.name());
        try (ChildProcess child = ChildProcess.start(part.command(), "test-dump");
             InputStream stdout = child.stdout();
             OutputStream out = Files.newOutputStream(file)) {
            child.stdin().close();
            stdout.transferTo(out);
            child.awaitSuccess(TIMEOUT, "test-dump");
        }
        return file;
    }

    /** Restores {@code file} through stdin and fails on any stderr error line the part does not tolerate. */
    static void restore(RestorePart part, Path file) throws IOException {
        run(part, file);
    }

    /** Runs a restore that names its input file itself (a parallel restore), giving it no stdin. */
    static void restoreNamedFile(RestorePart part) throws IOException {
        run(part, null);
    }

    private static void run(RestorePart part, Path stdinFile) throws IOException {
        try (ChildProcess child = ChildProcess.start(part.command(), "test-restore")) {
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
        }
    }
}
