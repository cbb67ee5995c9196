package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SessionWriteFreeze;
import dev.ferry.engine.WriteFreeze;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Write freezes of a MySQL or MariaDB server.
 *
 * <p>Session-held ({@link #freeze}): {@code FLUSH TABLES WITH READ LOCK} held by a session of its
 * own: every writer waits (the whole server, as the lock is global), readers and a
 * {@code --single-transaction} dump go on. Closing the session lifts it.
 *
 * <p>Durable ({@link #freezeDurably}, a cutover's): the other client sessions are ended
 * ({@code KILL CONNECTION}: an open transaction is rolled back, its client sees error 2013 or 2006,
 * lost connection), then {@code SET GLOBAL read_only = ON}, then any session that slipped in between
 * is ended too. Writes of every user without SUPER / READ_ONLY ADMIN (MariaDB) or
 * CONNECTION_ADMIN (MySQL) fail with error 1290 "… is running with the --read-only option".
 * The freeze is server-wide, as read_only is. It survives Ferry, not a server restart (read_only is
 * not persisted): start such a server with {@code read_only=ON} until the cutover is done.
 */
final class MySqlWriteFreeze {

    private static final SessionWriteFreeze.Lift UNLOCK = connection -> {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLOCK TABLES");
        }
    };
    private static final int UNKNOWN_THREAD = 1094;

    private MySqlWriteFreeze() {
    }

    static WriteFreeze freeze(DatabaseEndpoint endpoint, String step) {
        Connection connection = MySqlConnections.openServer(endpoint, step);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION lock_wait_timeout = 30");
            statement.execute("FLUSH TABLES WITH READ LOCK");
            return new SessionWriteFreeze(connection, "server of " + endpoint.describe() + " read-locked (FLUSH TABLES WITH READ LOCK)",
                    UNLOCK);
        } catch (SQLException e) {
            SessionWriteFreeze.close(connection, UNLOCK);
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not freeze writes to " + endpoint.describe(),
                    "The user needs the RELOAD privilege; a long query may hold tables open: wait for it, then run again");
        }
    }

    static String freezeDurably(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION lock_wait_timeout = 30");
            int ended = endOtherSessions(connection);
            statement.execute("SET GLOBAL read_only = ON");
            ended += endOtherSessions(connection);
            return "server of " + endpoint.describe() + " read-only (SET GLOBAL read_only = ON), " + ended + " open session(s) ended";
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.FREEZE, step, "Could not freeze writes to " + endpoint.describe(),
                    "The user needs SUPER (or CONNECTION ADMIN and READ_ONLY ADMIN on MariaDB, SYSTEM_VARIABLES_ADMIN and"
                            + " CONNECTION_ADMIN on MySQL); a long query may hold tables: wait for it, then run again");
        }
    }

    static String release(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step); Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL read_only = OFF");
            return "server of " + endpoint.describe() + " writable again (SET GLOBAL read_only = OFF)";
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.FREEZE, step, "Could not release the write freeze of " + endpoint.describe(),
                    "Run SET GLOBAL read_only = OFF as an administrator, or retry with 'ferry release RUN'");
        }
    }

    static boolean isFrozen(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT @@GLOBAL.read_only")) {
            result.next();
            return result.getInt(1) != 0;
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not read read_only of " + endpoint.describe(),
                    "Check the connection and try again");
        }
    }

    static long size(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step);
             PreparedStatement query = connection.prepareStatement("SELECT COALESCE(SUM(data_length + index_length), 0)"
                     + " FROM information_schema.TABLES WHERE table_schema = ?")) {
            query.setString(1, endpoint.database());
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the size of " + endpoint.describe(),
                    "Check the connection and try again");
        }
    }

    /** Ends every client session but this one (not the server's own threads, not replication senders). */
    private static int endOtherSessions(Connection connection) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                     + " AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Killed')"
                     + " AND USER NOT IN ('system user', 'event_scheduler')")) {
            while (result.next()) {
                ids.add(result.getLong(1));
            }
        }
        int ended = 0;
        try (Statement kill = connection.createStatement()) {
            for (long id : ids) {
                try {
                    kill.execute("KILL CONNECTION " + id);
                    ended++;
                } catch (SQLException e) {
                    if (e.getErrorCode() != UNKNOWN_THREAD) {
                        throw e;
                    }
                    // it ended by itself meanwhile
                }
            }
        }
        return ended;
    }
}
