package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.FiguresInFlight;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.SnapshotDump;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

/**
 * Binds Ferry's readers and the dump tool to one consistent point: {@code FLUSH TABLES <the
 * database's tables> WITH READ LOCK} stops writes to them; Ferry's reading sessions start their
 * consistent snapshots and read the counters; the dump starts, and the lock is released as soon as
 * the tool's output shows its first table (it starts its own consistent-snapshot transaction
 * before any table), within {@code lockTimeout} — holding the lock only until both snapshots have
 * begun, as mydumper does. Writes wait only for that moment, whose length is reported. Needs the
 * RELOAD and LOCK TABLES privileges.
 */
final class MySqlSnapshotDump implements SnapshotDump {

    /** What mysqldump and mariadb-dump write before each table's definition. */
    private static final String FIRST_TABLE = "\n-- Table structure for table ";

    private final DatabaseEndpoint source;
    private final Connection lock;
    private final List<Connection> readers;
    private final List<DumpPart> parts;
    private final FiguresInFlight figures;
    private final Duration lockTimeout;
    private final String step;
    private final long lockedAt;
    private volatile long lockHeldMillis = -1;
    private volatile String lockFailure;
    private volatile boolean locked;
    private final String gtidPosition;
    private String tail = "";

    private MySqlSnapshotDump(DatabaseEndpoint source, Connection lock, List<Connection> readers,
                              List<DumpPart> parts, FiguresInFlight figures, Duration lockTimeout, boolean locked,
                              long lockedAt, String gtidPosition, String step) {
        this.source = source;
        this.lock = lock;
        this.readers = readers;
        this.parts = parts;
        this.figures = figures;
        this.lockTimeout = lockTimeout;
        this.locked = locked;
        this.lockedAt = lockedAt;
        this.gtidPosition = gtidPosition;
        this.step = step;
    }

    /**
     * {@code recordGtid}: also read the source's {@code @@gtid_binlog_pos} under the lock, the
     * position an online cutover's replication starts at (every transaction on these tables before
     * it is in the dump, every one after it is not).
     */
    static MySqlSnapshotDump open(DatabaseEndpoint source, List<DumpPart> parts, FigureRequest request, Duration lockTimeout,
                                  boolean recordGtid, MySqlFigureReader reader, String step) {
        Connection lock = MySqlConnections.open(source, step, JdbcUse.LONG_QUERY);
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
            String gtid = recordGtid ? MySqlQueries.single(lock, "SELECT @@GLOBAL.gtid_binlog_pos") : null;
            for (int i = 0; i < request.jobs(); i++) {
                Connection session = MySqlConnections.open(source, step, JdbcUse.LONG_QUERY);
                readers.add(session);
                MySqlFigureReader.beginSnapshot(session);
            }
            SortedMap<String, Inventory.Counter> counters = reader.counters(readers.get(0), source.database());
            FiguresInFlight figures = FiguresInFlight.start(() -> reader.read(readers, source.database(), counters, request));
            return new MySqlSnapshotDump(source, lock, readers, parts, figures, lockTimeout, !tables.isEmpty(), lockedAt,
                    gtid, step);
        } catch (SQLException e) {
            readers.forEach(MySqlSnapshotDump::closeQuietly);
            closeQuietly(lock);
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not take a consistent snapshot of " + source.describe(),
                    "The source's user needs the RELOAD and LOCK TABLES privileges (FLUSH TABLES ... WITH READ LOCK),"
                            + " and no long query may hold the tables longer than dump.lockTimeoutSeconds");
        }
    }

    @Override
    public List<DumpPart> parts() {
        return parts;
    }

    /**
     * Releases the lock once the dump shows its snapshot began: the tool starts its transaction
     * before it dumps any table, so the first table's heading in its output is proof enough.
     */
    @Override
    public void streamed(DumpPart part, byte[] bytes, int length) {
        if (!locked) {
            return;
        }
        String seen = tail + new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        if (seen.contains(FIRST_TABLE)) {
            unlock();
            return;
        }
        tail = seen.substring(Math.max(0, seen.length() - FIRST_TABLE.length()));
        if (System.nanoTime() - lockedAt > lockTimeout.toNanos()) {
            unlock();
            throw new FerryException(ErrorCode.CONNECTION, step, "Could not bind the dump of " + source.describe()
                    + " to Ferry's snapshot", "the dump tool did not begin its first table within " + lockTimeout.toSeconds()
                    + " s while writes were held", "Raise dump.lockTimeoutSeconds, or check what slows the dump tool's start");
        }
    }

    /** A dump without tables ended while writes were held: it is consistent with Ferry's snapshot too. */
    @Override
    public void ended(DumpPart part) {
        unlock();
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
        return figures.await(deadline, step, sql -> MySqlFailures.of(sql, ErrorCode.CONNECTION, step,
                "Could not read the source's figures in the dump's snapshot",
                "Check that the user may read every table of this database, and the check queries"));
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("snapshotMethod", "FLUSH TABLES ... WITH READ LOCK until the dump tool's consistent snapshot began");
        if (gtidPosition != null) {
            facts.put(dev.ferry.engine.ChangeCapture.STREAM_START, gtidPosition);
        }
        if (lockHeldMillis >= 0) {
            facts.put("lockHeldMillis", lockHeldMillis);
        }
        return facts;
    }

    @Override
    public void close() {
        unlock();
        boolean busy = !figures.done();
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
