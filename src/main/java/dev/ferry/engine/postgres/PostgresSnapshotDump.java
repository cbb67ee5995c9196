package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.FiguresInFlight;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.SnapshotDump;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A repeatable-read transaction exports its snapshot; {@code pg_dump --snapshot} dumps it, and the
 * same transaction (with sessions that import the snapshot) reads the figures while the dump
 * streams. Counters are read before pg_dump starts. Closing ends the transaction.
 */
final class PostgresSnapshotDump implements SnapshotDump {

    private final Connection main;
    private final List<DumpPart> parts;
    private final FiguresInFlight figures;
    private final String snapshot;
    private final String step;

    private PostgresSnapshotDump(Connection main, String snapshot, List<DumpPart> parts, FiguresInFlight figures,
                                 String step) {
        this.main = main;
        this.snapshot = snapshot;
        this.parts = parts;
        this.figures = figures;
        this.step = step;
    }

    interface PartsForSnapshot {
        List<DumpPart> parts(String snapshot);
    }

    /** @param given a snapshot exported elsewhere (a replication slot's) to read instead of exporting one, or null */
    static PostgresSnapshotDump open(DatabaseEndpoint source, String given, PartsForSnapshot parts, FigureRequest request,
                                     PostgresFigureReader reader, String step) {
        Connection main = PostgresConnections.open(source, step, JdbcUse.LONG_QUERY);
        try {
            PostgresFigureReader.prepare(main);
            PostgresSnapshots.begin(main);
            String snapshot = given == null ? PostgresSnapshots.export(main) : PostgresSnapshots.use(main, given);
            SortedMap<String, Inventory.Counter> counters = reader.counters(main);
            int major = main.getMetaData().getDatabaseMajorVersion();
            FiguresInFlight figures = FiguresInFlight.start(() -> reader.read(main, counters, request, major,
                    () -> PostgresSnapshots.openIn(source, snapshot, step)));
            return new PostgresSnapshotDump(main, snapshot, parts.parts(snapshot), figures, step);
        } catch (SQLException e) {
            closeQuietly(main);
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not open a snapshot of " + source.describe(),
                    "Check that the user may read every table of this database");
        }
    }

    @Override
    public List<DumpPart> parts() {
        return parts;
    }

    @Override
    public void streamed(DumpPart part, byte[] bytes, int length) {
    }

    @Override
    public void ended(DumpPart part) {
    }

    @Override
    public Inventory figures(Duration deadline) {
        return figures.await(deadline, step, sql -> PostgresFailures.of(sql, ErrorCode.CONNECTION, step,
                "Could not read the source's figures in the dump's snapshot",
                "Check that the user may read every table (and large object) of this database, and the check queries"));
    }

    @Override
    public Map<String, Object> facts() {
        return Map.of("snapshotMethod", "exported snapshot " + snapshot + ", dumped with pg_dump --snapshot");
    }

    @Override
    public void close() {
        if (!figures.done()) {
            // the reader is still busy on this session: cutting it off ends its queries with it
            try {
                main.abort(Runnable::run);
            } catch (SQLException ignored) {
                // already gone
            }
            return;
        }
        closeQuietly(main);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // ending the session rolls back anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to free
        }
    }
}
