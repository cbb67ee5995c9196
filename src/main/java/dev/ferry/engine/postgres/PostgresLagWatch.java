package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One session on the source and one on the target's server, kept for a wait that polls the lag many
 * times a second: the source's current WAL position, the slot's {@code confirmed_flush_lsn} and
 * whether the slot was lost, and the subscription's apply errors (PostgreSQL 15 and later count them).
 */
final class PostgresLagWatch implements ChangeCapture.LagWatch {

    private static final String SLOT = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn, confirmed_flush_lsn - '0/0'::pg_lsn,"
            + " coalesce(wal_status = 'lost', false) FROM pg_replication_slots WHERE slot_name = ?";
    private static final String POSITION = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn";
    private static final String ERRORS = "SELECT coalesce(sum(apply_error_count), 0) FROM pg_stat_subscription_stats WHERE subname = ?";

    private final DatabaseEndpoint source;
    private final ChangeStream stream;
    private final String step;
    private final Connection onSource;
    private final Connection onTarget;
    private final PreparedStatement slot;
    private final PreparedStatement position;
    private final PreparedStatement errors;

    private PostgresLagWatch(DatabaseEndpoint source, ChangeStream stream, String step, Connection onSource, Connection onTarget)
            throws SQLException {
        this.source = source;
        this.stream = stream;
        this.step = step;
        this.onSource = onSource;
        this.onTarget = onTarget;
        this.slot = onSource.prepareStatement(SLOT);
        this.slot.setString(1, stream.slot());
        this.position = onSource.prepareStatement(POSITION);
        boolean counted = onTarget.getMetaData().getDatabaseMajorVersion() >= 15;
        this.errors = counted ? onTarget.prepareStatement(ERRORS) : null;
        if (errors != null) {
            errors.setString(1, stream.subscription());
        }
    }

    static PostgresLagWatch open(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        Connection onSource = PostgresConnections.open(source, step);
        Connection onTarget = null;
        try {
            onTarget = PostgresConnections.openServerOf(target, step);
            return new PostgresLagWatch(source, stream, step, onSource, onTarget);
        } catch (SQLException | RuntimeException e) {
            close(onSource);
            close(onTarget);
            if (e instanceof SQLException sql) {
                throw PostgresFailures.of(sql, ErrorCode.CHANGE_CAPTURE, step, "Could not prepare to read the lag of the slot "
                        + stream.slot(), "Check the connections to the source and the target");
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public ChangeCapture.Lag lag() {
        try {
            long applyErrors = 0;
            if (errors != null) {
                try (ResultSet result = errors.executeQuery()) {
                    result.next();
                    applyErrors = result.getLong(1);
                }
            }
            try (ResultSet result = slot.executeQuery()) {
                if (!result.next()) {
                    throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "The replication slot " + stream.slot() + " is gone from "
                            + source.describe(), "someone dropped it while the target followed it",
                            "Start a new run: the changes since the copy cannot be recovered from this slot");
                }
                return new ChangeCapture.Lag(result.getLong(1), result.getLong(2), applyErrors, result.getBoolean(3));
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not read the lag of the slot " + stream.slot()
                    + " on " + source.describe(), "Check the connections to the source and the target");
        }
    }

    @Override
    public long position() {
        try (ResultSet result = position.executeQuery()) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not read the WAL position of " + source.describe(),
                    "Check the connection to the source");
        }
    }

    @Override
    public void close() {
        close(onSource);
        close(onTarget);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session ends with the connection anyway
            }
        }
    }
}
