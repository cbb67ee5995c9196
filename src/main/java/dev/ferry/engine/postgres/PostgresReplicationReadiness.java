package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What a logical replication from the source database into the target server needs, read without changing anything. */
final class PostgresReplicationReadiness {

    /** Tables whose UPDATE and DELETE a publication cannot replicate: no primary key and no replica identity. */
    private static final String WITHOUT_IDENTITY = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT LIKE 'pg\\_%'"
            + " AND n.nspname <> 'information_schema' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid"
            + " AND d.deptype = 'e') AND (c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS"
            + " (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))) ORDER BY 1";
    private static final String NOT_OWNED = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%'"
            + " AND n.nspname <> 'information_schema' AND NOT pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY 1";

    private PostgresReplicationReadiness() {
    }

    static ChangeCapture.Readiness check(DatabaseEndpoint source, DatabaseEndpoint target, String step) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (Connection connection = PostgresConnections.open(source, step); Statement statement = connection.createStatement()) {
            String walLevel = value(statement, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                problems.add("the source's wal_level is " + walLevel + ": set wal_level = logical in its postgresql.conf and restart it");
            }
            long freeSlots = number(statement, "SELECT current_setting('max_replication_slots')::int - count(*) FROM pg_replication_slots");
            if (freeSlots < 1) {
                problems.add("the source has no free replication slot (max_replication_slots is used up): raise it, or drop a slot"
                        + " nobody uses (see pg_replication_slots)");
            }
            long freeSenders = number(statement, "SELECT current_setting('max_wal_senders')::int - count(*) FROM pg_stat_replication");
            if (freeSenders < 1) {
                problems.add("the source has no free WAL sender (max_wal_senders is used up): raise it");
            }
            String keep = value(statement, "SHOW max_slot_wal_keep_size");
            notes.add("-1".equals(keep) ? "max_slot_wal_keep_size is unlimited: the slot holds WAL on the source's disk until it is"
                    + " dropped, so watch the disk during a long copy"
                    : "max_slot_wal_keep_size is " + keep + ": should the source write more WAL than that before the target catches up,"
                    + " the slot is lost and the catch-up fails (raise it for a long copy under heavy writes)");
            List<String> without = list(statement, WITHOUT_IDENTITY);
            if (!without.isEmpty()) {
                problems.add(without.size() + " table(s) have neither a primary key nor a replica identity, so their updates and"
                        + " deletes cannot be replicated: " + String.join(", ", without) + " (add a primary key, or"
                        + " ALTER TABLE ... REPLICA IDENTITY FULL)");
            }
            try (ResultSet role = statement.executeQuery("SELECT rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user")) {
                role.next();
                boolean superuser = role.getBoolean(1);
                if (!superuser && !role.getBoolean(2)) {
                    problems.add("the source user " + source.user() + " may not create a replication slot: ALTER ROLE "
                            + PostgresIdentifiers.quote(source.user()) + " REPLICATION (or use a superuser)");
                }
                if (!superuser) {
                    List<String> notOwned = list(statement, NOT_OWNED);
                    if (!notOwned.isEmpty()) {
                        problems.add("the source user " + source.user() + " does not own " + notOwned.size()
                                + " table(s), so it cannot publish them: " + String.join(", ", notOwned.subList(0,
                                Math.min(10, notOwned.size()))) + (notOwned.size() > 10 ? ", ..." : "")
                                + " (use the tables' owner or a superuser)");
                    }
                }
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the replication settings of " + source.describe(),
                    "Check the connection and that the user may read pg_settings and pg_replication_slots");
        }
        try (Connection connection = PostgresConnections.openServerOf(target, step); Statement statement = connection.createStatement()) {
            boolean allowed = number(statement, "SELECT count(*) FROM pg_roles WHERE rolname = current_user AND (rolsuper"
                    + " OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'pg_create_subscription'"
                    + " AND pg_has_role(current_user, g.oid, 'MEMBER')))") > 0;
            if (!allowed) {
                problems.add("the target user " + target.user() + " may not create a subscription: it needs to be a superuser"
                        + " (PostgreSQL 16 and later: a member of pg_create_subscription)");
            }
            long freeWorkers = number(statement, "SELECT current_setting('max_logical_replication_workers')::int"
                    + " - (SELECT count(*) FROM pg_stat_subscription WHERE pid IS NOT NULL)");
            if (freeWorkers < 1) {
                problems.add("the target has no free logical replication worker: raise max_logical_replication_workers");
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the replication settings of " + target.describe(),
                    "Check the connection to the target");
        }
        return new ChangeCapture.Readiness(problems, notes);
    }

    private static String value(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    private static long number(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static List<String> list(Statement statement, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                names.add(result.getString(1));
            }
        }
        return names;
    }
}
