package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * MariaDB change capture through binlog replication: nothing is created on the source (its binary
 * log is the stream); the dump records the GTID position of its snapshot ({@link MySqlSnapshotDump}),
 * and the target replicates from there through a named connection ({@link MariaDbReplica}). Lag is
 * counted in transactions (see {@link MariaDbLagWatch}).
 */
final class MariaDbChangeCapture implements ChangeCapture {

    /** The snapshot id a dump is given: it makes the dump record {@code @@gtid_binlog_pos} under its lock. */
    static final String GTID_SNAPSHOT = "gtid_binlog_pos";

    @Override
    public Readiness readiness(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Connection onSource = MySqlConnections.openServer(source, step);
             Connection onTarget = MySqlConnections.openServer(target, step)) {
            if (!MySqlQueries.single(onSource, "SELECT @@version").contains("MariaDB")) {
                problems.add("the source is MySQL: Ferry streams changes from MariaDB only (use mysql-cutover)");
                return new Readiness(problems, notes);
            }
            if (!"1".equals(MySqlQueries.single(onSource, "SELECT @@GLOBAL.log_bin"))) {
                problems.add("the source has no binary log: start it with log_bin (and binlog_format = ROW)");
            }
            String format = MySqlQueries.single(onSource, "SELECT @@GLOBAL.binlog_format");
            if (!"ROW".equalsIgnoreCase(format)) {
                problems.add("the source's binlog_format is " + format + ": set binlog_format = ROW");
            }
            String sourceId = MySqlQueries.single(onSource, "SELECT @@GLOBAL.server_id");
            String targetId = MySqlQueries.single(onTarget, "SELECT @@GLOBAL.server_id");
            if (sourceId.equals(targetId)) {
                problems.add("the source and the target have the same server_id (" + sourceId + "): give the target another one");
            }
            if (MySqlQueries.rows(onSource, "SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'REPLICATION SLAVE'"
                    + " AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
                    + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')").isEmpty()) {
                problems.add("the source's user " + source.user() + " lacks the REPLICATION SLAVE privilege the target replicates with");
            }
            try (Statement statement = onTarget.createStatement();
                 var replicas = statement.executeQuery("SHOW ALL SLAVES STATUS")) {
                while (replicas.next()) {
                    if ("Yes".equals(replicas.getString("Slave_SQL_Running")) || "Yes".equals(replicas.getString("Slave_IO_Running"))) {
                        problems.add("the target replicates already (connection '" + replicas.getString("Connection_name")
                                + "'): Ferry sets its gtid_slave_pos, which MariaDB allows only with every replication stopped");
                    }
                }
            }
            if (!source.database().equals(target.database())) {
                notes.add("the target replicates " + source.database() + " into " + target.database() + " (replicate_rewrite_db)");
            }
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not check whether " + source.describe()
                    + " can replicate to " + target.describe(), "Check the connections; the users need to read server variables");
        }
        return new Readiness(problems, notes);
    }

    @Override
    public ExportedSnapshot start(DatabaseEndpoint source, ChangeStream stream, String step) {
        return new ExportedSnapshot() {
            @Override
            public String id() {
                return GTID_SNAPSHOT;
            }

            @Override
            public long startPosition() {
                return 0;
            }

            @Override
            public void close() {
                // the binary log needs nothing held
            }
        };
    }

    @Override
    public void follow(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String startAt,
                       boolean synchronousApply, String step) {
        MariaDbReplica.follow(source, target, stream, startAt, step);
    }

    @Override
    public String lagUnit() {
        return "transactions";
    }

    @Override
    public LagWatch watch(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        return MariaDbLagWatch.open(source, target, stream, step);
    }

    /**
     * SEQUENCE objects travel in the binary log (every cache refill is a logged row change), so they
     * arrive with the drain; AUTO_INCREMENT counters do not (a rolled-back insert advances only the
     * source's): each target table's counter is set to the frozen source's.
     */
    @Override
    public int copySequences(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        int set = 0;
        try (Connection onSource = MySqlConnections.open(source, step); Connection onTarget = MySqlConnections.open(target, step);
             Statement statement = onTarget.createStatement()) {
            for (String[] row : MySqlQueries.rows(onSource, "SELECT table_name, auto_increment FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE' AND auto_increment IS NOT NULL", source.database())) {
                statement.execute("ALTER TABLE " + MySqlIdentifiers.qualified(target.database(), row[0]) + " AUTO_INCREMENT = "
                        + Long.parseLong(row[1]));
                set++;
            }
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not set the AUTO_INCREMENT counters of "
                    + target.describe(), "Check that the target's user may ALTER its tables; run again");
        }
        return set;
    }

    @Override
    public String stop(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        return target == null ? "nothing to remove from the source (its binary log is the stream)"
                : MariaDbReplica.drop(target, stream, step);
    }

    @Override
    public boolean slotExists(DatabaseEndpoint source, ChangeStream stream, String step) {
        try (Connection connection = MySqlConnections.openServer(source, step)) {
            return "1".equals(MySqlQueries.single(connection, "SELECT @@GLOBAL.log_bin"));
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not read log_bin of " + source.describe(),
                    "Check the connection to the source");
        }
    }
}
