package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SessionWriteFreeze;
import dev.ferry.engine.WriteFreeze;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes a PostgreSQL database by holding EXCLUSIVE locks on all its user tables in one open
 * transaction: writers wait, readers (pg_dump's ACCESS SHARE locks included) go on.
 */
final class PostgresWriteFreeze {

    private static final SessionWriteFreeze.Lift ROLLBACK = Connection::rollback;

    private PostgresWriteFreeze() {
    }

    static WriteFreeze freeze(DatabaseEndpoint endpoint, String step) {
        Connection connection = PostgresConnections.open(endpoint, step);
        try {
            connection.setAutoCommit(false);
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet result = statement.executeQuery("SELECT n.nspname, c.relname FROM pg_class c"
                         + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')"
                         + " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1, 2")) {
                while (result.next()) {
                    tables.add(PostgresIdentifiers.qualified(result.getString(1), result.getString(2)));
                }
            }
            if (!tables.isEmpty()) {
                try (Statement lock = connection.createStatement()) {
                    lock.execute("SET lock_timeout = '30s'");
                    lock.execute("LOCK TABLE " + String.join(", ", tables) + " IN EXCLUSIVE MODE");
                }
            }
            return new SessionWriteFreeze(connection, tables.size() + " tables of " + endpoint.describe() + " locked against writes",
                    ROLLBACK);
        } catch (SQLException e) {
            SessionWriteFreeze.close(connection, ROLLBACK);
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not freeze writes to " + endpoint.describe(),
                    "A long transaction may hold a conflicting lock: wait for it or end it, then run again");
        }
    }
}
