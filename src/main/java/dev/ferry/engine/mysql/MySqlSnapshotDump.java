package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.SnapshotDump;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Binds Ferry's readers and the dump tool to one consistent point: {@code FLUSH TABLES <the
 * database's tables> WITH READ LOCK} stops writes to them; Ferry's reading sessions start their
 * consistent snapshots and read the counters; the dump starts, and the lock is released as soon as
 * the tool's own transaction is seen in {@code information_schema.innodb_trx} (within
 * {@code lockTimeout}) — the approach mydumper takes. Writes wait only for that moment, whose
 * length is reported. Needs the RELOAD and PROCESS privileges.
 */
final class MySqlSnapshotDump implements SnapshotDump {

    private static final long POLL_MILLIS = 5;

    private final DatabaseEndpoint source;
    private final Connection lock;
    private final List<Connection> readers;
    private final Set<Long> sessionsBefore;
    private final List<DumpPart> parts;
    private final CompletableFuture<Inventory> figures;
    private final Duration lockTimeout;
    private final String step;
    private final long lockedAt;
    private volatile long lockHeldMillis = -1;
    private volatile String lockFailure;
    private volatile boolean locked;

    private MySqlSnapshotDump(DatabaseEndpoint source, Connection lock, List<Connection> readers, Set<Long> sessionsBefore,
                              List<DumpPart> parts, CompletableFuture<Inventory> figures, Duration lockTimeout, boolean locked,
                              long lockedAt, String step) {
        this.source = source;
        this.lock = lock;
        this.readers = readers;
        this.sessionsBefore = sessionsBefore;
        this.parts = parts;
        this.figures = figures;
        this.lockTimeout = lockTimeout;
        this.locked = locked;
        this.lockedAt = lockedAt;
        this.step = step;
    }

    static MySqlSnapshotDump open(DatabaseEndpoint source, List<DumpPart> parts, FigureRequest request, Duration lockTimeout,
                                  MySqlFigureReader reader, String step) {
        Connection lock = MySqlConnections.open(source, step);
        List<Connection> readers = new ArrayList<>();
        try {
            List<String> tables = MySqlQueries.rows(lock, "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " AND table_type IN (" + MySqlCatalog.BASE_TABLES + ")", source.database()).stream()
                    .map(row -> MySqlIdentifiers.qualified(source.database(), row[0])).toList();
            try (Statement statement = lock.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = " + Math.max(1, lockTimeout.toSeconds()));
                if (!tables.isEmpty()) {
                    statement.execute("FLUSH TABLES " + String.join(", ", tables) + " WITH READ LOCK");
                }
            }
            long lockedAt = System.nanoTime();
            for (int i = 0; i < request.jobs(); i++) {
                Connection session = MySqlConnections.open(source, step);
                readers.add(session);
                MySqlFigureReader.beginSnapshot(session);
            }
            SortedMap<String, Inventory.Counter> counters = reader.counters(readers.get(0), source.database());
            Set<Long> before = sessions(lock);
            CompletableFuture<Inventory> figures = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    figures.complete(reader.read(readers, source.database(), counters, request));
                } catch (Throwable e) {
                    figures.completeExceptionally(e);
                }
            }, "ferry-source-figures");
            thread.setDaemon(true);
            thread.start();
            return new MySqlSnapshotDump(source, lock, readers, before, parts, figures, lockTimeout, !tables.isEmpty(), lockedAt,
                    step);
        } catch (SQLException e) {
            readers.forEach(MySqlSnapshotDump::closeQuietly);
            closeQuietly(lock);
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not take a consistent snapshot of " + source.describe(),
                    "The source's user needs the RELOAD and PROCESS privileges (FLUSH TABLES ... WITH READ LOCK, innodb_trx),"
                            + " and no long query may hold the tables longer than dump.lockTimeoutSeconds");
        }
    }

    @Override
    public List<DumpPart> parts() {
        return parts;
    }

    /** Holds the lock until the dump tool's transaction has begun, then releases it. */
    @Override
    public void started(DumpPart part) {
        if (!locked) {
            return;
        }
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (toolSnapshotBegan()) {
                    unlock();
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            lockFailure = "the dump tool's transaction did not appear within " + lockTimeout.toSeconds() + " s";
        } catch (SQLException e) {
            lockFailure = "watching for the dump tool's transaction failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lockFailure = "interrupted while waiting for the dump tool's transaction";
        }
        unlock();
        throw new FerryException(ErrorCode.CONNECTION, step, "Could not bind the dump of " + source.describe() + " to Ferry's snapshot",
                lockFailure, "Check that the dump tool can connect, and that the user has the PROCESS privilege; then run again");
    }

    /** A session that was not there before the dump started, of the source's user, with a transaction open. */
    private boolean toolSnapshotBegan() throws SQLException {
        List<String[]> rows = MySqlQueries.rows(lock, "SELECT p.id FROM information_schema.processlist p"
                + " JOIN information_schema.innodb_trx t ON t.trx_mysql_thread_id = p.id WHERE p.user = ?", source.user());
        Set<Long> own = new HashSet<>(sessionsBefore);
        for (String[] row : rows) {
            if (!own.contains(Long.parseLong(row[0]))) {
                return true;
            }
        }
        return false;
    }

    private static Set<Long> sessions(Connection connection) throws SQLException {
        return MySqlQueries.rows(connection, "SELECT id FROM information_schema.processlist").stream()
                .map(row -> Long.parseLong(row[0])).collect(Collectors.toSet());
    }

    private synchronized void unlock() {
        if (!locked) {
            return;
        }
        locked = false;
        lockHeldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedAt);
        try (Statement statement = lock.createStatement()) {
            statement.execute("UNLOCK TABLES");
        } catch (SQLException e) {
            // closing the session below releases the lock as well
            closeQuietly(lock);
        }
    }

    @Override
    public Inventory figures(Duration deadline) {
        try {
            return figures.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FerryException(ErrorCode.CONNECTION, step, "The source's figures were not read within " + deadline.toMinutes()
                    + " min", "reading every table in the dump's snapshot took longer than allowed",
                    "Raise timeoutMinutes, or compare counts only (smoke.checksums: false)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw MySqlFailures.of(sql, ErrorCode.CONNECTION, step, "Could not read the source's figures in the dump's snapshot",
                        "Check that the user may read every table of this database, and the check queries");
            }
            throw cause instanceof RuntimeException runtime ? runtime
                    : new FerryException(ErrorCode.INTERNAL, step, "Reading the source's figures failed", String.valueOf(cause),
                    "Report this with the run's journal", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, step, "Interrupted while reading the source's figures", null, "Run again");
        }
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("snapshot", "FLUSH TABLES ... WITH READ LOCK until the dump tool's consistent snapshot began");
        if (lockHeldMillis >= 0) {
            facts.put("lockHeldMillis", lockHeldMillis);
        }
        return facts;
    }

    @Override
    public void close() {
        unlock();
        boolean busy = !figures.isDone();
        for (Connection reader : readers) {
            if (busy) {
                try {
                    reader.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // already gone
                }
            } else {
                MySqlFigureReader.endSnapshot(reader);
                closeQuietly(reader);
            }
        }
        closeQuietly(lock);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to free
        }
    }
}
