package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SessionWriteFreeze;
import dev.ferry.engine.WriteFreeze;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Write freezes of a PostgreSQL database.
 *
 * <p>Session-held ({@link #freeze}): EXCLUSIVE locks on all user tables in one open transaction:
 * writers wait, readers (pg_dump's ACCESS SHARE locks included) go on; it dies with the session.
 *
 * <p>Durable ({@link #freezeDurably}, a cutover's): {@code ALTER DATABASE … SET
 * default_transaction_read_only = on}, then every other session of the database is ended
 * ({@code pg_terminate_backend}) so that none keeps writing with the old default: an open transaction
 * is rolled back and its client sees {@code 57P01 terminating connection due to administrator command};
 * every new session starts read-only, and INSERT, UPDATE, DELETE, DDL and {@code nextval} fail with
 * {@code 25006 cannot execute … in a read-only transaction}. Reads, pg_dump and the smoke test go on.
 * It survives Ferry and server restarts until released. A client that sets
 * {@code transaction_read_only = off} itself is not held off: the freeze is against applications, not
 * against a determined superuser.
 */
final class PostgresWriteFreeze {

    private static final SessionWriteFreeze.Lift ROLLBACK = Connection::rollback;
    private static final Duration SESSIONS_END_WITHIN = Duration.ofSeconds(15);
    private static final String OTHER_SESSIONS = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'";

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

    static String freezeDurably(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = writable(endpoint, step); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + PostgresIdentifiers.quote(endpoint.database())
                    + " SET default_transaction_read_only = on");
            int ended = endOtherSessions(connection, endpoint, step);
            return "database " + endpoint.describe() + " read-only (default_transaction_read_only = on), "
                    + ended + " open session(s) ended";
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.FREEZE, step, "Could not freeze writes to " + endpoint.describe(),
                    "The user must own the database (or be a superuser) and may end others' sessions only as a superuser"
                            + " or a member of pg_signal_backend");
        }
    }

    static String release(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = writable(endpoint, step); Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + PostgresIdentifiers.quote(endpoint.database())
                    + " RESET default_transaction_read_only");
            // every session in the database now began after the freeze ended the older ones, so each is read-only
            int ended = endOtherSessions(connection, endpoint, step);
            return "database " + endpoint.describe() + " writable again, " + ended + " read-only session(s) ended to reconnect";
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.FREEZE, step, "Could not release the write freeze of " + endpoint.describe(),
                    "Run ALTER DATABASE " + PostgresIdentifiers.quote(endpoint.database())
                            + " RESET default_transaction_read_only as its owner, or retry with 'ferry release RUN'");
        }
    }

    static boolean isFrozen(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step);
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_db_role_setting s"
                     + " JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database() AND s.setrole = 0"
                     + " AND 'default_transaction_read_only=on' = ANY (s.setconfig)");
             ResultSet result = query.executeQuery()) {
            result.next();
            return result.getLong(1) > 0;
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the settings of " + endpoint.describe(),
                    "Check the connection and try again");
        }
    }

    /** A session of our own that writes although the database's default is read-only. */
    static Connection writable(DatabaseEndpoint endpoint, String step) throws SQLException {
        Connection connection = PostgresConnections.open(endpoint, step);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET default_transaction_read_only = off");
            statement.execute("SET statement_timeout = '30s'");
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static int endOtherSessions(Connection connection, DatabaseEndpoint endpoint, String step) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(OTHER_SESSIONS)) {
            while (result.next()) {
                pids.add(result.getInt(1));
            }
        }
        try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            for (int pid : pids) {
                terminate.setInt(1, pid);
                terminate.execute();
            }
        }
        long deadline = System.nanoTime() + SESSIONS_END_WITHIN.toNanos();
        try (PreparedStatement alive = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
            alive.setArray(1, connection.createArrayOf("int4", pids.toArray()));
            while (true) {
                try (ResultSet result = alive.executeQuery()) {
                    result.next();
                    if (result.getLong(1) == 0) {
                        return pids.size();
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new FerryException(ErrorCode.FREEZE, step, "Sessions of " + endpoint.describe() + " did not end",
                            "pg_terminate_backend was sent to " + pids + " but some still run after "
                                    + SESSIONS_END_WITHIN.toSeconds() + " s",
                            "Look at pg_stat_activity for them, end them by hand, then run again");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FerryException(ErrorCode.FREEZE, step, "Interrupted while ending the sessions of " + endpoint.describe(),
                            null, "Run again");
                }
            }
        }
    }

    static long size(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_database_size(current_database())")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the size of " + endpoint.describe(),
                    "Check the connection and try again");
        }
    }
}
