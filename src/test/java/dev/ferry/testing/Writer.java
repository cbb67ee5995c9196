package dev.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An application writing to a database while a test runs: one INSERT every 25 ms on a kept
 * connection, reconnecting after any failure (as a connection pool would), each attempt recorded
 * with its start time and the error it met. Stops on close, or after two minutes in any case.
 */
public final class Writer implements AutoCloseable {

    public record Attempt(Instant at, boolean ok, String sqlState, int errorCode, String message) {
    }

    private static final Duration AT_MOST = Duration.ofMinutes(2);

    private static final java.util.Set<Writer> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private Writer(String url, String user, String password, String sql) {
        thread = new Thread(() -> loop(url, user, password, sql), "test-writer");
        thread.setDaemon(true);
        RUNNING.add(this);
        thread.start();
    }

    /** Stops every writer of this JVM (without waiting): the application goes quiet. */
    static void stopAll() {
        RUNNING.forEach(writer -> writer.stopped = true);
    }

    public static Writer start(String url, String user, String password, String sql) {
        return new Writer(url, user, password, sql);
    }

    private void loop(String url, String user, String password, String sql) {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        Connection connection = null;
        while (!stopped && System.nanoTime() < deadline) {
            Instant at = Instant.now();
            try {
                if (connection == null) {
                    java.util.Properties properties = new java.util.Properties();
                    properties.setProperty("user", user);
                    properties.setProperty("password", password);
                    properties.setProperty("connectTimeout", url.startsWith("jdbc:postgresql") ? "5" : "5000");
                    connection = DriverManager.getConnection(url, properties);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
                attempts.add(new Attempt(at, true, null, 0, null));
            } catch (SQLException e) {
                attempts.add(new Attempt(at, false, e.getSQLState(), e.getErrorCode(), e.getMessage()));
                close(connection);
                connection = null;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                break;
            }
        }
        close(connection);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public List<Attempt> between(Instant from, Instant to) {
        return attempts.stream().filter(a -> !a.at().isBefore(from) && a.at().isBefore(to)).toList();
    }

    /** Waits until an attempt that started after {@code after} succeeded; false after {@code within}. */
    public boolean succeedsAfter(Instant after, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (attempts.stream().anyMatch(a -> a.ok() && a.at().isAfter(after))) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        stopped = true;
        RUNNING.remove(this);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
