package dev.ferry.engine.postgres;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Read-only repeatable-read transactions, and sessions that share one through an exported snapshot. */
final class PostgresSnapshots {

    private PostgresSnapshots() {
    }

    static void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    /** Exports the transaction's snapshot (it must be the transaction's first query), valid while the transaction lasts. */
    static String export(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_export_snapshot()")) {
            result.next();
            return result.getString(1);
        }
    }

    /** Makes the transaction read a snapshot exported elsewhere (it must be the transaction's first query); returns it. */
    static String use(Connection connection, String snapshot) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
        }
        return snapshot;
    }

    /** A new session whose transaction reads the exported snapshot. */
    static Connection openIn(DatabaseEndpoint endpoint, String snapshot, String step) throws SQLException {
        Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.LONG_QUERY);
        try {
            PostgresFigureReader.prepare(connection);
            begin(connection);
            use(connection, snapshot);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }
}
