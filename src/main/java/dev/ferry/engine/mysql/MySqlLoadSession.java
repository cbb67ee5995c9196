package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One extra client session of a parallel load: a client process fed {@code INSERT} statements
 * through a queue bounded in bytes (so a slow session holds the router back, and memory stays flat),
 * by a writer thread of its own. {@link #sync} commits and waits until the client has run everything
 * queued before it.
 */
final class MySqlLoadSession {

    private static final long QUEUE_BYTES = 8L << 20;
    private static final byte[] END = new byte[0];
    private static final byte[] COMMIT = "COMMIT;\n".getBytes(StandardCharsets.US_ASCII);

    private final int number;
    private final ChildProcess child;
    private final MySqlSyncMarks marks;
    private final String step;
    private final String database;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queued;
    private long marksSent;
    private boolean ending;
    private boolean killed;
    private IOException writeFailure;
    private long statements;
    private long bytes;

    MySqlLoadSession(int number, ChildProcess child, String token, String step, String database) {
        this.number = number;
        this.child = child;
        this.step = step;
        this.database = database;
        this.marks = new MySqlSyncMarks(child.stdout(), token, "load-" + number);
        Thread writer = new Thread(this::write, "mysql-load-" + number);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues bytes of an INSERT statement, waiting while the queue is full; throws when the session failed. */
    void send(byte[] buffer, int offset, int length, boolean statementStart, long deadlineNanos) {
        byte[] chunk = java.util.Arrays.copyOfRange(buffer, offset, offset + length);
        synchronized (this) {
            while (queued >= QUEUE_BYTES) {
                requireHealthy();
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw stalled("did not take its next statement");
                }
                waitQuietly(Math.min(left, 200));
            }
            requireHealthy();
            enqueue(chunk);
            bytes += length;
            if (statementStart) {
                statements++;
            }
        }
    }

    /** Throws when the client failed or stopped reading; does nothing once it was told to end. */
    synchronized void requireRunning() {
        if (!ending) {
            requireHealthy();
        }
    }

    /** Bytes waiting for the client: where the router sends the next statement. */
    synchronized long backlog() {
        return queued;
    }

    /** Commits and queues the next mark; {@link #awaitMark} waits for it. */
    synchronized long requestMark() {
        requireHealthy();
        enqueue(COMMIT);
        long n = ++marksSent;
        enqueue(marks.statement(n).getBytes(StandardCharsets.US_ASCII));
        return n;
    }

    void awaitMark(long n, long deadlineNanos) {
        try {
            long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
            if (marks.await(n, left)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stalled("was interrupted: Ferry is stopping");
        }
        requireHealthy();
        if (marks.ended()) {
            throw failure("its output ended before it had run every statement");
        }
        throw stalled("did not finish its statements in time");
    }

    /** No more statements: commits and closes the client's input (never waits, so it is safe after a failure). */
    synchronized void end() {
        if (ending || killed) {
            return;
        }
        enqueue(COMMIT);
        enqueue(END);
        ending = true;
    }

    /** Waits for the client to exit; throws unless it succeeded. */
    void awaitSuccess(Duration timeout) {
        end();
        int exit = child.await(timeout, step);
        synchronized (this) {
            if (exit != 0 || writeFailure != null) {
                throw failure("it exited with code " + exit);
            }
        }
    }

    void kill() {
        synchronized (this) {
            killed = true;
            queue.clear();
            queued = 0;
            notifyAll();
        }
        child.kill();
    }

    ChildProcess child() {
        return child;
    }

    synchronized String figures() {
        return statements + " statements, " + bytes / (1024 * 1024) + " MB";
    }

    private void requireHealthy() {
        if (killed) {
            throw new FerryException(ErrorCode.IMPORT_FAILED, step, "Loading session " + number + " was stopped",
                    "the load into the staging database " + database + " was aborted", "Look at the first error of this step");
        }
        if (writeFailure != null || !child.isAlive()) {
            throw failure(writeFailure != null ? "it stopped reading its statements" : "it exited");
        }
    }

    private void enqueue(byte[] chunk) {
        queue.add(chunk);
        queued += chunk.length;
        notifyAll();
    }

    private void write() {
        OutputStream stdin = child.stdin();
        try {
            while (true) {
                byte[] chunk;
                boolean more;
                synchronized (this) {
                    while (queue.isEmpty() && !killed) {
                        waitQuietly(1000);
                    }
                    if (killed) {
                        return;
                    }
                    chunk = queue.poll();
                    queued -= chunk.length;
                    more = !queue.isEmpty();
                    notifyAll();
                }
                if (chunk == END) {
                    stdin.close();
                    return;
                }
                stdin.write(chunk);
                if (!more) {
                    stdin.flush();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                writeFailure = e;
                notifyAll();
            }
        }
    }

    /** The client failed: its exit and stderr, once it has ended (it ends at its first error). */
    private FerryException failure(String how) {
        if (child.isAlive() && !killed) {
            child.await(Duration.ofSeconds(30), step);
        }
        return new FerryException(ErrorCode.IMPORT_FAILED, step, "Loading session " + number + " (" + child.command().program()
                + ") failed while it inserted rows into the staging database " + database + ": " + how, errorLines(),
                "Fix the cause above and resume the run; the staging database is dropped and the target was not touched"
                        + " (import.jobs: 1 loads with one session)");
    }

    /** The client's error lines; it also echoes the failed statement, rows and all, which stay out of the report. */
    private String errorLines() {
        String stderr = child.stderrTail();
        if (stderr.isEmpty()) {
            return "it printed nothing on stderr";
        }
        String errors = String.join("\n", stderr.lines().filter(line -> line.startsWith("ERROR")).toList());
        return errors.isEmpty() ? stderr.lines().reduce((first, last) -> last).orElse(stderr) : errors;
    }

    private FerryException stalled(String what) {
        return new FerryException(ErrorCode.IMPORT_FAILED, step, "Loading session " + number + " " + what,
                "it was loading into the staging database " + database,
                "Raise the tool timeout, or look for a lock held on the staging database; import.jobs: 1 loads with one session");
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killed = true;
        }
    }
}
