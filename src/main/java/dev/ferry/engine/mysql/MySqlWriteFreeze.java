package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SessionWriteFreeze;
import dev.ferry.engine.WriteFreeze;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Freezes a MySQL or MariaDB server with {@code FLUSH TABLES WITH READ LOCK} held by a session of
 * its own: every writer waits (the whole server, as the lock is global), readers and a
 * {@code --single-transaction} dump go on. Closing the session lifts it.
 */
final class MySqlWriteFreeze {

    private static final SessionWriteFreeze.Lift UNLOCK = connection -> {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLOCK TABLES");
        }
    };

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
}
