package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The end of a staged import: the staging database, restored and complete, becomes the target with
 * {@code ALTER DATABASE ... RENAME} (nobody may be connected to it), and the database comments that
 * record which run imported a database.
 */
final class PostgresStagedImport {

    private final DatabaseEndpoint staging;
    private final DatabaseEndpoint target;
    private final String step;

    PostgresStagedImport(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        this.staging = staging;
        this.target = target;
        this.step = step;
    }

    void promote() {
        try (Connection connection = PostgresConnections.openServerOf(target, step);
             Statement statement = connection.createStatement()) {
            // an empty target someone created beforehand gives way; the caller checked it is empty
            statement.execute("DROP DATABASE IF EXISTS " + PostgresIdentifiers.quote(target.database()));
            statement.execute("ALTER DATABASE " + PostgresIdentifiers.quote(staging.database()) + " RENAME TO "
                    + PostgresIdentifiers.quote(target.database()));
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.IMPORT_FAILED, step, "Could not rename the staging database "
                    + staging.database() + " to " + target.describe(),
                    "Make sure nobody is connected to either database, then resume the run");
        }
    }

    static String comment(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step, JdbcUse.PROBE);
             PreparedStatement comment = connection.prepareStatement(
                     "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            comment.setString(1, endpoint.database());
            try (ResultSet result = comment.executeQuery()) {
                return result.next() ? result.getString(1) : null;
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the comment of " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may read pg_database");
        }
    }

    static void comment(DatabaseEndpoint endpoint, String text, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step);
             Statement statement = connection.createStatement()) {
            statement.execute("COMMENT ON DATABASE " + PostgresIdentifiers.quote(endpoint.database()) + " IS '"
                    + text.replace("'", "''") + "'");
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.IMPORT_FAILED, step, "Could not comment the database " + endpoint.describe(),
                    "Check that " + endpoint.user() + " owns the database");
        }
    }
}
