package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;
import org.postgresql.PGConnection;
import org.postgresql.replication.ReplicationSlotInfo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The source side of a change stream's start: a publication of every user table, then a logical
 * slot ({@code pgoutput}) created over a replication connection, which exports the snapshot the
 * slot starts at. The connection stays open, idle, for as long as the snapshot must stay importable
 * (the dump's); closing it ends the snapshot, not the slot.
 */
final class PostgresSlotExport implements ChangeCapture.ExportedSnapshot {

    private static final String USER_TABLES = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            + " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') ORDER BY 1";

    private final Connection replication;
    private final String snapshot;
    private final long startPosition;

    private PostgresSlotExport(Connection replication, String snapshot, long startPosition) {
        this.replication = replication;
        this.snapshot = snapshot;
        this.startPosition = startPosition;
    }

    static PostgresSlotExport start(DatabaseEndpoint source, ChangeStream stream, String step) {
        publish(source, stream, step);
        Connection replication = null;
        try {
            Properties properties = PostgresConnections.properties(source, JdbcUse.STATEMENT, step);
            properties.setProperty("replication", "database");
            properties.setProperty("assumeMinServerVersion", "10");
            properties.setProperty("preferQueryMode", "simple");
            replication = DriverManager.getConnection(PostgresConnections.jdbcUrl(source), properties);
            ReplicationSlotInfo slot = replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot()
                    .logical().withSlotName(stream.slot()).withOutputPlugin("pgoutput").make();
            return new PostgresSlotExport(replication, slot.getSnapshotName(), slot.getConsistentPoint().asLong());
        } catch (SQLException e) {
            close(replication);
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not create the replication slot " + stream.slot()
                            + " on " + source.describe(),
                    "Check the preflight's replication checks (wal_level, free slots and WAL senders, the REPLICATION"
                            + " attribute, pg_hba.conf allowing a replication connection to this database); the run drops"
                            + " what it created when it ends");
        }
    }

    private static void publish(DatabaseEndpoint source, ChangeStream stream, String step) {
        try (Connection connection = PostgresWriteFreeze.writable(source, step); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(USER_TABLES)) {
                while (result.next()) {
                    tables.add(result.getString(1));
                }
            }
            statement.execute("CREATE PUBLICATION " + PostgresIdentifiers.quote(stream.publication())
                    + (tables.isEmpty() ? "" : " FOR TABLE " + String.join(", ", tables)));
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not create the publication " + stream.publication()
                    + " on " + source.describe(), "The source user must own every table (or be a superuser)");
        }
    }

    @Override
    public String id() {
        return snapshot;
    }

    @Override
    public long startPosition() {
        return startPosition;
    }

    @Override
    public void close() {
        close(replication);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server ends the session (and the snapshot) anyway
            }
        }
    }
}
