package dev.ferry.engine.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A client options file that never touches the disk: a named pipe (0600, in a 0700 folder) from
 * which the first reader gets the text once. A thread waits for the program to open it, unlinks
 * it and its folder at once, then writes the text into the pipe and closes it. So the secret lives
 * only in this process's memory and the pipe's buffer: Ferry killed with SIGKILL at any point leaves
 * no file holding it (at most an empty pipe, if it dies before the program opened it).
 */
final class MySqlOptionPipe {

    private static final String FILE_NAME = "client.cnf";
    private static final Duration MKFIFO_TIMEOUT = Duration.ofSeconds(10);

    private final Path path;
    private final Thread writer;

    private MySqlOptionPipe(Path path, byte[] text) {
        this.path = path;
        this.writer = new Thread(() -> serveOnce(path, text), "mysql-options-" + path.getParent().getFileName());
        this.writer.setDaemon(true);
    }

    /** Creates the pipe and starts waiting for its one reader. */
    static MySqlOptionPipe open(String text) throws IOException {
        Path folder = Files.createTempDirectory("ferry-mysql-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path path = folder.resolve(FILE_NAME);
        try {
            mkfifo(path);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(folder);
            throw e;
        }
        MySqlOptionPipe pipe = new MySqlOptionPipe(path, text.getBytes(StandardCharsets.UTF_8));
        pipe.writer.start();
        return pipe;
    }

    Path path() {
        return path;
    }

    /**
     * Ends the wait when no program read the pipe (it will not run, or failed first): opens it as
     * the reader, discards the text and deletes what is left. Does nothing once it was read.
     */
    void close() {
        if (Files.exists(path)) {
            try (InputStream drain = Files.newInputStream(path)) {
                drain.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the program opened it in the meantime, and the writer unlinked it
            }
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(path);
        deleteQuietly(path.getParent());
    }

    private static void serveOnce(Path path, byte[] text) {
        // opening for writing blocks until a reader opens the other end
        try (OutputStream out = Files.newOutputStream(path)) {
            deleteQuietly(path);
            deleteQuietly(path.getParent());
            out.write(text);
        } catch (NoSuchFileException gone) {
            // released before anyone read it
        } catch (IOException e) {
            // the reader went away before it read everything: it fails on its own and says so
        }
    }

    private static void mkfifo(Path path) throws IOException {
        Process process = new ProcessBuilder(List.of("mkfifo", "-m", "600", "--", path.toString()))
                .redirectErrorStream(true).start();
        try {
            if (!process.waitFor(MKFIFO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("mkfifo did not finish in " + MKFIFO_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating a named pipe", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException("mkfifo failed: " + output);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a folder another file appeared in; the pipe itself holds nothing
        }
    }
}
