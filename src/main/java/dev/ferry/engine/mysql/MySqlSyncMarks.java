package dev.ferry.engine.mysql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * How the insert router learns that a client session has run every statement it was given: it
 * sends {@code SELECT '<token> <n>';} after them, and the client (run with
 * {@code --skip-column-names --unbuffered}) prints {@code <token> <n>} on stdout once it got there.
 * A thread reads the session's stdout for these lines; other output is ignored. The token is the
 * router's own, so no row of the dump can be mistaken for a mark.
 */
final class MySqlSyncMarks {

    private final String token;
    private long seen;
    private boolean ended;

    MySqlSyncMarks(InputStream stdout, String token, String name) {
        this.token = token;
        Thread reader = new Thread(() -> read(stdout), "sync-marks-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The statement whose output is mark {@code n}. */
    String statement(long n) {
        return "SELECT '" + token + " " + n + "';\n";
    }

    /** Whether mark {@code n} came; false when the client ended first or {@code millis} passed. */
    synchronized boolean await(long n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (seen < n && !ended) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return seen >= n;
    }

    synchronized boolean ended() {
        return ended;
    }

    private void read(InputStream stdout) {
        String prefix = token + " ";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    long n = Long.parseLong(line.substring(prefix.length()).strip());
                    synchronized (this) {
                        seen = Math.max(seen, n);
                        notifyAll();
                    }
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // the client is gone: its exit code and stderr say why
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }
}
