package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL change capture: a publication and a logical slot on the source, created with the
 * snapshot the dump copies, and a native subscription on that slot on the target (see
 * {@link PostgresSubscription} for what that stores where). Lag is the source's current WAL
 * position minus the slot's {@code confirmed_flush_lsn}.
 */
final class PostgresChangeCapture implements ChangeCapture {

    private static final Duration SLOT_RELEASED_WITHIN = Duration.ofSeconds(15);

    @Override
    public Readiness readiness(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        return PostgresReplicationReadiness.check(source, target, step);
    }

    @Override
    public ExportedSnapshot start(DatabaseEndpoint source, ChangeStream stream, String step) {
        return PostgresSlotExport.start(source, stream, step);
    }

    @Override
    public void follow(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String startAt, boolean synchronousApply,
                       String step) {
        PostgresSubscription.follow(source, target, stream, synchronousApply, step);
    }

    @Override
    public LagWatch watch(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        return PostgresLagWatch.open(source, target, stream, step);
    }

    @Override
    public int copySequences(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        return PostgresSequenceCopy.copy(source, target, step);
    }

    @Override
    public boolean slotExists(DatabaseEndpoint source, ChangeStream stream, String step) {
        try (Connection connection = PostgresConnections.open(source, step);
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, stream.slot());
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not look for the slot " + stream.slot() + " on "
                    + source.describe(), "Check the connection to the source");
        }
    }

    @Override
    public String stop(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, String step) {
        List<String> done = new ArrayList<>();
        if (target != null) {
            done.add(PostgresSubscription.drop(target, stream, step));
            // the publication predates the slot's snapshot, so the dump copied it to the target too
            done.add(dropCopiedPublication(target, stream, step));
        }
        if (source != null) {
            done.add(dropSlot(source, stream, step));
            done.add(dropPublication(source, stream, step));
        }
        return String.join("; ", done);
    }

    private static String dropSlot(DatabaseEndpoint source, ChangeStream stream, String step) {
        String next = "Drop it by hand on the source: SELECT pg_drop_replication_slot('" + stream.slot() + "')";
        try (Connection connection = PostgresConnections.open(source, step);
             PreparedStatement active = connection.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?");
             PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            active.setString(1, stream.slot());
            drop.setString(1, stream.slot());
            long deadline = System.nanoTime() + SLOT_RELEASED_WITHIN.toNanos();
            while (true) {
                Integer pid;
                try (ResultSet result = active.executeQuery()) {
                    if (!result.next()) {
                        return "no slot " + stream.slot() + " on the source";
                    }
                    int value = result.getInt(1);
                    pid = result.wasNull() ? null : value;
                }
                if (pid == null) {
                    try {
                        drop.execute();
                        return "slot " + stream.slot() + " dropped from " + source.describe();
                    } catch (SQLException inUse) {
                        if (!"55006".equals(inUse.getSQLState())) {
                            throw inUse;
                        }
                    }
                } else {
                    // a WAL sender still streams from it (a subscription we could not reach, a leftover session)
                    try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        terminate.setInt(1, pid);
                        terminate.execute();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "The slot " + stream.slot() + " on " + source.describe()
                            + " stays in use", "a WAL sender (pid " + pid + ") kept it for " + SLOT_RELEASED_WITHIN.toSeconds() + " s",
                            next);
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not drop the slot " + stream.slot() + " on "
                    + source.describe(), next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "Interrupted while dropping the slot " + stream.slot(), null, next);
        }
    }

    private static String dropCopiedPublication(DatabaseEndpoint target, ChangeStream stream, String step) {
        try (Connection server = PostgresConnections.openServerOf(target, step);
             PreparedStatement exists = server.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            exists.setString(1, target.database());
            try (ResultSet result = exists.executeQuery()) {
                result.next();
                if (result.getLong(1) == 0) {
                    return "no target database, so no copy of the publication";
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not look for the database " + target.describe(),
                    "Check the connection to the target");
        }
        try (Connection connection = PostgresConnections.open(target, step); Statement statement = connection.createStatement()) {
            statement.execute("DROP PUBLICATION IF EXISTS " + PostgresIdentifiers.quote(stream.publication()));
            return "the dump's copy of the publication dropped from the target";
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not drop the copy of the publication "
                    + stream.publication() + " from " + target.describe(), "Drop it by hand: DROP PUBLICATION "
                    + PostgresIdentifiers.quote(stream.publication()));
        }
    }

    private static String dropPublication(DatabaseEndpoint source, ChangeStream stream, String step) {
        try (Connection connection = PostgresWriteFreeze.writable(source, step); Statement statement = connection.createStatement()) {
            statement.execute("DROP PUBLICATION IF EXISTS " + PostgresIdentifiers.quote(stream.publication()));
            return "publication " + stream.publication() + " dropped";
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not drop the publication " + stream.publication()
                    + " on " + source.describe(), "Drop it by hand: DROP PUBLICATION " + PostgresIdentifiers.quote(stream.publication()));
        }
    }
}
