package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The target as a replica of the source: a named replication connection ({@code ferry_<run>}, apart
 * from any other the target has) with GTID positioning from the dump's position, filtered to the
 * migrated database. MariaDB keeps the source's user and password in the target's
 * {@code master-ferry_<run>.info} file in its data directory until {@link #drop} (RESET SLAVE ... ALL).
 */
final class MariaDbReplica {

    /** ER_SLAVE_NOT_EXISTS / unknown connection name. */
    private static final int UNKNOWN_CONNECTION = 1617;

    private MariaDbReplica() {
    }

    static void follow(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String startAt, String step) {
        String name = MySqlIdentifiers.literal(stream.subscription());
        try (Connection connection = MySqlConnections.openServer(target, step); Statement statement = connection.createStatement()) {
            if (status(connection, stream) == null) {
                if (startAt == null) {
                    throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "The dump recorded no GTID position",
                            "the target cannot know where to start replicating", "Start a new run");
                }
                try (PreparedStatement position = connection.prepareStatement("SET GLOBAL gtid_slave_pos = ?")) {
                    position.setString(1, startAt);
                    position.execute();
                }
                try (PreparedStatement change = connection.prepareStatement("CHANGE MASTER " + name + " TO MASTER_HOST = ?,"
                        + " MASTER_PORT = " + source.port() + ", MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_CONNECT_RETRY = 1,"
                        + " MASTER_USE_GTID = slave_pos")) {
                    change.setString(1, source.host());
                    change.setString(2, source.user());
                    change.setString(3, source.password() == null ? "" : source.password().reveal());
                    change.execute();
                }
                String variable = "GLOBAL " + MySqlIdentifiers.quote(stream.subscription());
                if (source.database().equals(target.database())) {
                    statement.execute("SET " + variable + ".replicate_do_db = " + MySqlIdentifiers.literal(source.database()));
                } else {
                    statement.execute("SET " + variable + ".replicate_rewrite_db = "
                            + MySqlIdentifiers.literal(source.database() + "->" + target.database()));
                    statement.execute("SET " + variable + ".replicate_do_db = " + MySqlIdentifiers.literal(target.database()));
                }
            }
            statement.execute("START SLAVE " + name);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not make " + target.describe() + " replicate from "
                    + source.describe(), "The target's user needs SUPER (or REPLICATION SLAVE ADMIN); no other replication of the"
                    + " target may run while gtid_slave_pos is set; check that the target reaches the source's host and port");
        }
    }

    /** SHOW SLAVE '<name>' STATUS as column → value, or null when the target has no such connection. */
    static Map<String, String> status(Connection connection, ChangeStream stream) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SHOW SLAVE " + MySqlIdentifiers.literal(stream.subscription()) + " STATUS")) {
                if (!result.next()) {
                    return null;
                }
                Map<String, String> row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
                }
                return row;
            } catch (SQLException unknown) {
                if (unknown.getErrorCode() == UNKNOWN_CONNECTION) {
                    return null;
                }
                throw unknown;
            }
        }
    }

    static String drop(DatabaseEndpoint target, ChangeStream stream, String step) {
        String name = MySqlIdentifiers.literal(stream.subscription());
        try (Connection connection = MySqlConnections.openServer(target, step); Statement statement = connection.createStatement()) {
            if (status(connection, stream) == null) {
                return "no replication " + stream.subscription() + " on the target";
            }
            statement.execute("STOP SLAVE " + name);
            statement.execute("RESET SLAVE " + name + " ALL");
            return "replication " + stream.subscription() + " stopped and removed from " + target.describe()
                    + " (with the source's password it kept)";
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not remove the replication " + stream.subscription()
                    + " from " + target.describe(), "Remove it by hand on the target: STOP SLAVE " + name + "; RESET SLAVE " + name + " ALL");
        }
    }
}
