package dev.ferry.process;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

/**
 * A running child process whose stdout is a stream for the caller and whose stderr is drained by
 * a thread into a bounded tail, so the child never blocks on a full pipe and memory stays flat.
 * Unlike camel-exec, nothing here buffers the output.
 */
public final class ChildProcess implements AutoCloseable {

    private static final int STDERR_TAIL_BYTES = 16 * 1024;

    private final ChildCommand command;
    private final Process process;
    private final BoundedTail stderr = new BoundedTail(STDERR_TAIL_BYTES);
    private final Thread stderrPump;
    private final Predicate<String> ownLines;

    private ChildProcess(ChildCommand command, Process process, Predicate<String> ownLines) {
        this.command = command;
        this.process = process;
        this.ownLines = ownLines;
        this.stderrPump = new Thread(this::pumpStderr, "stderr-" + command.program());
        this.stderrPump.setDaemon(true);
        this.stderrPump.start();
    }

    /**
     * Starts the command. {@code step} names the step for the error raised when the program
     * cannot be started at all (typically: not installed).
     */
    public static ChildProcess start(ChildCommand command, String step) {
        return start(command, step, null);
    }

    /**
     * Starts the command and hands each line it writes on stderr to {@code ownLines}; the lines it
     * accepts (progress the caller follows) are left out of the stderr tail, the others kept.
     */
    public static ChildProcess start(ChildCommand command, String step, Predicate<String> ownLines) {
        Map<String, String> environment = new LinkedHashMap<>(ChildEnvironment.baseline(System.getenv()));
        command.inherited().forEach(name -> {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        });
        environment.putAll(command.environment());
        if (!ProgramPath.exists(command.argv().get(0), environment.get("PATH"), command.workingDirectory())) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not start " + command.program(),
                    "no program " + command.argv().get(0) + " on PATH (" + environment.get("PATH") + ")",
                    "Install " + command.program() + " or put it on PATH");
        }
        ProcessBuilder builder = new ProcessBuilder(ChildReaper.wrap(command.argv()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        if (command.workingDirectory() != null) {
            builder.directory(command.workingDirectory().toFile());
        }
        try {
            Process process = builder.start();
            ChildReaper.started(process);
            return new ChildProcess(command, process, ownLines);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not start " + command.program(),
                    e.getMessage(), "Install " + command.program() + " or put it on PATH");
        }
    }

    /** Runs a short command to completion and returns its stdout as text (for version probes and the like). */
    public static String run(ChildCommand command, String step, Duration timeout) {
        Finished finished = runToEnd(command, step, timeout);
        if (finished.exitCode() != 0) {
            throw failure(command, finished.exitCode(), finished.stderr(), step);
        }
        return finished.stdout();
    }

    /** How a command run to its end went: its exit code, its stdout, and its stderr tail (redacted). */
    public record Finished(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a short command to its end whatever its exit code (the caller judges it: some tools
     * exit non-zero yet print what explains why) and returns what it printed.
     */
    public static Finished runToEnd(ChildCommand command, String step, Duration timeout) {
        try (ChildProcess child = start(command, step)) {
            child.stdin().close();
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return child.stdout().readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int exit = child.await(timeout, step);
            return new Finished(exit, new String(out.join(), StandardCharsets.UTF_8), child.stderrTail());
        } catch (IOException | java.io.UncheckedIOException | java.util.concurrent.CompletionException e) {
            throw new FerryException(ErrorCode.CHILD_PROCESS, step, "Could not read what " + command + " printed",
                    e.getClass().getSimpleName(), "Check that the command runs by hand");
        }
    }

    public ChildCommand command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    public InputStream stdout() {
        return process.getInputStream();
    }

    /** The last bytes the child wrote to stderr, redacted of known secrets. */
    public String stderrTail() {
        return Redactor.redact(stderr.text()).strip();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child and returns its exit code; kills it and fails when the timeout passes. */
    public int await(Duration timeout, String step) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new FerryException(ErrorCode.CHILD_PROCESS, step, command.program() + " did not finish",
                        "no exit after " + timeout.toSeconds() + " s, so it was killed",
                        "Raise the step's timeout or look at why it hangs");
            }
            stderrPump.join(2000);
            return process.exitValue();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.CHILD_PROCESS, step, command.program() + " was interrupted",
                    "Ferry is stopping", "Run the migration again or resume it");
        }
    }

    /** Waits for the child and fails, with its stderr tail, unless it exited with 0. */
    public void awaitSuccess(Duration timeout, String step) {
        int exit = await(timeout, step);
        if (exit != 0) {
            throw failure(command, exit, stderrTail(), step);
        }
    }

    private static FerryException failure(ChildCommand command, int exit, String stderrTail, String step) {
        return new FerryException(ErrorCode.CHILD_PROCESS, step, command.program() + " failed with exit code " + exit,
                stderrTail.isEmpty() ? "it printed nothing on stderr" : stderrTail, "Fix the cause above and run again");
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
    }

    private void pumpStderr() {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getErrorStream()) {
            int n;
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while ((n = in.read(buffer)) >= 0) {
                if (ownLines == null) {
                    stderr.append(buffer, n);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n') {
                        offerLine(line);
                    }
                }
            }
            if (ownLines != null && line.size() > 0) {
                line.write('\n');
                offerLine(line);
            }
        } catch (IOException ignored) {
            // the child is gone; what was read is kept
        }
    }

    private void offerLine(java.io.ByteArrayOutputStream line) {
        byte[] bytes = line.toByteArray();
        line.reset();
        boolean own;
        try {
            own = ownLines.test(new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8));
        } catch (RuntimeException listenerFailure) {
            own = false;
        }
        if (!own) {
            stderr.append(bytes, bytes.length);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a pipe of a dead child
        }
    }

    /** Keeps the last {@code capacity} bytes written to it. */
    static final class BoundedTail {
        private final byte[] ring;
        private long written;

        BoundedTail(int capacity) {
            this.ring = new byte[capacity];
        }

        synchronized void append(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                ring[(int) (written++ % ring.length)] = bytes[i];
            }
        }

        synchronized String text() {
            int size = (int) Math.min(written, ring.length);
            byte[] out = new byte[size];
            long start = written - size;
            for (int i = 0; i < size; i++) {
                out[i] = ring[(int) ((start + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
