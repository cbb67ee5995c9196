package dev.ferry.engine;

import java.util.List;

/**
 * An engine's change capture for online cutovers: a stream of the source's changes, started at the
 * very snapshot a dump copies, followed by the target until the source is frozen and drained.
 * Everything it creates is named by a {@link ChangeStream} and removed by {@link #stop}.
 */
public interface ChangeCapture {

    /** What the servers lack for a change stream (each naming what to change), and facts worth a note. */
    record Readiness(List<String> problems, List<String> notes) {
    }

    /** How far the target is behind: the source's current WAL position minus what the target confirmed, in bytes. */
    record Lag(long sourcePosition, long confirmedPosition, long applyErrors, boolean slotLost) {

        public long bytes() {
            return Math.max(0, sourcePosition - confirmedPosition);
        }
    }

    /** A snapshot the stream starts at, exported for a dump; valid while this is open. */
    interface ExportedSnapshot extends AutoCloseable {

        String id();

        /** The position from which the stream holds every change not in the snapshot. */
        long startPosition();

        @Override
        void close();
    }

    /** Checks, changing nothing, what the stream needs on both servers. */
    Readiness readiness(DatabaseEndpoint source, DatabaseEndpoint target, String step);

    /** Creates the stream on the source (publication, then slot) and returns the snapshot it starts at. */
    ExportedSnapshot start(DatabaseEndpoint source, ChangeStream stream, String step);

    /**
     * Makes the target apply the stream from where it left off; harmless when it already does.
     * {@code startAt}: the position the dump recorded as its fact {@value #STREAM_START} (MariaDB's GTID
     * position; null where the stream itself knows, as PostgreSQL's slot does).
     * {@code synchronousApply}: the target flushes each applied change before confirming it.
     */
    void follow(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String startAt, boolean synchronousApply,
                String step);

    /** The dump's fact naming where the stream starts, for engines whose dump finds it out. */
    String STREAM_START = "streamStart";

    /** What the lag and the positions count: WAL bytes (PostgreSQL) or transactions (MariaDB GTIDs). */
    default String lagUnit() {
        return "bytes";
    }

    /** Sessions on both servers that read the lag as often as asked, for one wait; close them after it. */
    interface LagWatch extends AutoCloseable {

        Lag lag();

        /** The source's current WAL position (where a freeze leaves it). */
        long position();

        @Override
        void close();
    }

    LagWatch watch(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step);

    /** Sets every sequence of the target to its value on the (frozen) source; returns how many. */
    int copySequences(DatabaseEndpoint source, DatabaseEndpoint target, String step);

    /**
     * Removes what the stream created: the subscription on the target (when {@code target} is
     * given), then the slot and the publication on the source (when {@code source} is given). Harmless
     * for what is already gone. Returns what was done, for the report.
     */
    String stop(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step);

    /** Whether the stream's slot still exists on the source. */
    boolean slotExists(DatabaseEndpoint source, ChangeStream stream, String step);
}
