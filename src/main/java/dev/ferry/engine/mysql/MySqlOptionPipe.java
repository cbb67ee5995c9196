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
 *
 * <p>The folder is named {@code ferry-mysql-<pid>-<random>} after the process that made it, so the
 * first pipe a later Ferry opens removes the folders of processes that are gone ({@link
 * #removeLeftovers}), and never a live run's.
 */
final class MySqlOptionPipe {

    private static final String FILE_NAME = "client.cnf";
    private static final String FOLDER_PREFIX = "ferry-mysql-";
    private static final java.util.concurrent.atomic.AtomicBoolean SWEPT = new java.util.concurrent.atomic.AtomicBoolean();
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
        if (SWEPT.compareAndSet(false, true)) {
            removeLeftovers(Path.of(System.getProperty("java.io.tmpdir")));
        }
        Path folder = Files.createTempDirectory(FOLDER_PREFIX + ProcessHandle.current().pid() + "-",
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

    /**
     * Deletes the pipe folders in {@code tempFolder} that a Ferry process which is gone left (killed
     * before its tool opened the pipe): only folders named for a pid no process has, owned by this
     * user, holding nothing but the pipe. Returns how many it deleted; what it cannot read it leaves.
     */
    static int removeLeftovers(Path tempFolder) {
        int removed = 0;
        try (java.util.stream.Stream<Path> entries = Files.list(tempFolder)) {
            for (Path folder : entries.filter(p -> p.getFileName().toString().startsWith(FOLDER_PREFIX)).toList()) {
                Long pid = ownerPid(folder.getFileName().toString());
                if (pid == null || ProcessHandle.of(pid).isPresent() || !ownedByThisUser(folder)) {
                    continue;
                }
                if (removeIfOnlyAPipe(folder)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // housekeeping only: a folder that cannot be read or deleted stays, and holds no secret
        }
        return removed;
    }

    /** The pid in {@code ferry-mysql-<pid>-<random>}, or null for another name (a folder of an older Ferry, say). */
    private static Long ownerPid(String name) {
        String rest = name.substring(FOLDER_PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean ownedByThisUser(Path folder) throws IOException {
        if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Object owner = Files.getAttribute(folder, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return owner.equals(Files.getAttribute(Path.of("/proc/self/"), "unix:uid"));
    }

    private static boolean removeIfOnlyAPipe(Path folder) throws IOException {
        List<Path> inside;
        try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
            inside = entries.toList();
        }
        for (Path entry : inside) {
            if (!entry.getFileName().toString().equals(FILE_NAME)
                    || !Files.readAttributes(entry, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther()) {
                return false;
            }
        }
        for (Path entry : inside) {
            Files.deleteIfExists(entry);
        }
        Files.deleteIfExists(folder);
        return true;
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
