package dev.ferry.engine;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs jobs on daemon threads of their own while the caller does its share, waits for them all,
 * and rethrows the first failure; {@code onFailure} runs at the first one, so the others can stop
 * early (for example by emptying the queue they share). Engines read tables side by side with it.
 */
public final class SideBySide {

    /** A piece of database work. */
    public interface SqlJob {
        void run() throws SQLException;
    }

    /** The caller's share, with its result. */
    public interface SqlWork<T> {
        T run() throws SQLException;
    }

    private SideBySide() {
    }

    public static <T> T run(List<SqlJob> others, Runnable onFailure, SqlWork<T> here) throws SQLException {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            SqlJob job = others.get(i);
            Thread thread = new Thread(() -> {
                try {
                    job.run();
                } catch (Throwable e) {
                    failures.add(e);
                    onFailure.run();
                }
            }, "ferry-figures-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        T result;
        try {
            result = here.run();
        } catch (SQLException | RuntimeException e) {
            onFailure.run();
            throw e;
        } finally {
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while reading tables", e);
                }
            }
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.get(0);
            throw first instanceof SQLException sql ? sql : new SQLException(first.getMessage(), first);
        }
        return result;
    }
}
