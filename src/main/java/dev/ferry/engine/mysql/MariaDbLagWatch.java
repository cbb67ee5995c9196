package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * One session on the source and one on the target, kept for a wait: the lag in transactions between
 * the source's {@code @@gtid_binlog_pos} and the target's {@code @@gtid_slave_pos} (filtered
 * transactions of other databases advance it too), and the replica's SQL error, if any.
 */
final class MariaDbLagWatch implements ChangeCapture.LagWatch {

    /** Error 1236: the source no longer has the binary log the replica needs. */
    private static final String BINLOG_GONE = "1236";

    private final DatabaseEndpoint source;
    private final ChangeStream stream;
    private final String step;
    private final Connection onSource;
    private final Connection onTarget;

    private MariaDbLagWatch(DatabaseEndpoint source, ChangeStream stream, String step, Connection onSource, Connection onTarget) {
        this.source = source;
        this.stream = stream;
        this.step = step;
        this.onSource = onSource;
        this.onTarget = onTarget;
    }

    static MariaDbLagWatch open(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        Connection onSource = MySqlConnections.openServer(source, step);
        try {
            return new MariaDbLagWatch(source, stream, step, onSource, MySqlConnections.openServer(target, step));
        } catch (RuntimeException e) {
            close(onSource);
            throw e;
        }
    }

    @Override
    public ChangeCapture.Lag lag() {
        try {
            MariaDbGtid at = MariaDbGtid.parse(MySqlQueries.single(onSource, "SELECT @@GLOBAL.gtid_binlog_pos"));
            Map<String, String> status = MariaDbReplica.status(onTarget, stream);
            if (status == null) {
                throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "The replication " + stream.subscription()
                        + " is gone from the target", "someone removed it while the target followed the source",
                        "Start a new run");
            }
            MariaDbGtid applied = MariaDbGtid.parse(MySqlQueries.single(onTarget, "SELECT @@GLOBAL.gtid_slave_pos"));
            long errors = "0".equals(status.getOrDefault("Last_SQL_Errno", "0")) ? 0 : 1;
            boolean lost = BINLOG_GONE.equals(status.get("Last_IO_Errno"));
            return new ChangeCapture.Lag(at.transactions(), applied.appliedOf(at), errors, lost);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not read the replication lag of "
                    + stream.subscription(), "Check the connections to the source and the target");
        }
    }

    @Override
    public long position() {
        try {
            return MariaDbGtid.parse(MySqlQueries.single(onSource, "SELECT @@GLOBAL.gtid_binlog_pos")).transactions();
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not read the GTID position of " + source.describe(),
                    "Check the connection to the source");
        }
    }

    @Override
    public void close() {
        close(onSource);
        close(onTarget);
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the session ends with the connection anyway
        }
    }
}
