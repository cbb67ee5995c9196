package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Logical replication does not carry sequences: each is set on the target from the frozen source. */
final class PostgresSequenceCopy {

    private static final String SEQUENCES = "SELECT format('%I.%I', schemaname, sequencename), last_value, start_value,"
            + " has_sequence_privilege(format('%I.%I', schemaname, sequencename), 'SELECT') FROM pg_sequences"
            + " WHERE schemaname NOT LIKE 'pg\\_%' AND schemaname <> 'information_schema' ORDER BY 1";

    private PostgresSequenceCopy() {
    }

    static int copy(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        int copied = 0;
        try (Connection from = PostgresConnections.open(source, step); Statement read = from.createStatement();
             ResultSet sequences = read.executeQuery(SEQUENCES);
             Connection to = PostgresConnections.open(target, step);
             PreparedStatement set = to.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
            while (sequences.next()) {
                String name = sequences.getString(1);
                if (!sequences.getBoolean(4)) {
                    throw new FerryException(ErrorCode.CREDENTIALS, step, "The source user may not read the sequence " + name,
                            "without SELECT on it its value cannot be copied", "GRANT SELECT ON SEQUENCE " + name
                            + " to the source user, or use its owner");
                }
                long last = sequences.getLong(2);
                boolean called = !sequences.wasNull();
                set.setString(1, name);
                set.setLong(2, called ? last : sequences.getLong(3));
                set.setBoolean(3, called);
                set.execute();
                copied++;
            }
            return copied;
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not copy the sequences of " + source.describe()
                    + " to " + target.describe(), "A sequence of the source may be missing on the target (created during the"
                    + " catch-up?): compare the schemas, then migrate again");
        }
    }
}
