package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The end of a staged import: the staging database, restored and complete, becomes the target with
 * {@code ALTER DATABASE ... RENAME} (nobody may be connected to it). Before the rename the staging
 * database gets the comment {@code ferry run <id>}, so a resume after a crash between the rename
 * and the journal's record of it sees that the target is its own run's work.
 */
final class PostgresStagedImport {

    static final String MARK = "ferry run ";

    private final DatabaseEndpoint staging;
    private final DatabaseEndpoint target;
    private final String step;

    PostgresStagedImport(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        this.staging = staging;
        this.target = target;
        this.step = step;
    }

    void promote(String runId) {
        try (Connection connection = PostgresConnections.openServerOf(target, step);
             Statement statement = connection.createStatement()) {
            statement.execute("COMMENT ON DATABASE " + PostgresIdentifiers.quote(staging.database()) + " IS '"
                    + (MARK + runId).replace("'", "''") + "'");
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

    String committedRun() {
        try (Connection connection = PostgresConnections.openServerOf(target, step);
             PreparedStatement comment = connection.prepareStatement(
                     "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            comment.setString(1, target.database());
            try (ResultSet result = comment.executeQuery()) {
                String text = result.next() ? result.getString(1) : null;
                return text != null && text.startsWith(MARK) ? text.substring(MARK.length()) : null;
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the comment of " + target.describe(),
                    "Check that " + target.user() + " may read pg_database");
        }
    }
}
