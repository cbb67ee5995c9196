package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The end of a staged import: a complete staging database moves into the target. {@code RENAME
 * TABLE} moves every table in one atomic statement (MariaDB 10.6 and later make it crash-safe), but
 * not views, triggers, routines or events: those are recreated in the target from the definitions
 * the {@link MySqlMovePlan} recorded. In order: the plan, the target database (kept if it exists,
 * with its settings and grants), the routines (they need no tables), the triggers dropped from the
 * staging database (a table with triggers cannot change database) and one {@code RENAME TABLE} of all
 * tables, then triggers, views and events in the target. The staging database stays, holding only
 * its {@link MySqlRunMark} and the plan, neither of which moves: the caller marks it moved, and drops
 * it once the run recorded the import, so a crash in between still finds which run filled the
 * target, and the target never holds a table of Ferry's.
 *
 * <p>Every step can be done again: called after a crash anywhere in it, the move finishes.
 */
final class MySqlStagedImport {

    /** Table missing (1146), view invalid (1356), function missing (1305): a view that needs another one first. */
    private static final Set<Integer> NEEDS_ANOTHER_VIEW = Set.of(1146, 1356, 1305);

    private final DatabaseEndpoint staging;
    private final DatabaseEndpoint target;
    private final String step;

    MySqlStagedImport(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        this.staging = staging;
        this.target = target;
        this.step = step;
    }

    void promote() {
        String from = staging.database();
        String into = target.database();
        try (Connection connection = MySqlConnections.openServer(target, step)) {
            String sqlMode = MySqlQueries.single(connection, "SELECT @@SESSION.sql_mode");
            MySqlMovePlan plan = MySqlMovePlan.read(connection, from);
            if (plan == null) {
                plan = MySqlMovePlan.capture(connection, from, into);
            }
            List<String> left = tablesIn(connection, from);
            createTarget(connection);
            if (!left.isEmpty()) {
                requireOnlyPlanned(connection, plan);
                connection.setCatalog(into);
                recreate(connection, plan.items(MySqlMovePlan.Kind.ROUTINE), sqlMode);
                try (Statement statement = connection.createStatement()) {
                    for (MySqlMovePlan.Item trigger : plan.items(MySqlMovePlan.Kind.TRIGGER)) {
                        statement.execute("DROP TRIGGER IF EXISTS " + MySqlIdentifiers.qualified(from, trigger.name()));
                    }
                    statement.execute("RENAME TABLE " + left.stream()
                            .map(t -> MySqlIdentifiers.qualified(from, t) + " TO " + MySqlIdentifiers.qualified(into, t))
                            .collect(Collectors.joining(", ")));
                }
            }
            connection.setCatalog(into);
            recreate(connection, plan.items(MySqlMovePlan.Kind.TRIGGER), sqlMode);
            recreateViews(connection, plan.items(MySqlMovePlan.Kind.VIEW), sqlMode);
            recreate(connection, plan.items(MySqlMovePlan.Kind.EVENT), sqlMode);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.IMPORT_FAILED, step, "Could not move the staging database " + from
                    + " into " + target.describe(), "Fix the cause above and resume the run: the resume finishes the move"
                    + " (the staging database holds what it needs in " + MySqlMovePlan.TABLE + ")");
        }
    }

    private void createTarget(Connection connection) throws SQLException {
        String[] defaults = MySqlQueries.rows(connection, "SELECT default_character_set_name, default_collation_name"
                + " FROM information_schema.schemata WHERE schema_name = ?", staging.database()).get(0);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + MySqlIdentifiers.quote(target.database())
                    + " CHARACTER SET " + defaults[0] + " COLLATE " + defaults[1]);
        }
    }

    /** Before the tables move: the target holds nothing but what an earlier attempt of this move put there. */
    private void requireOnlyPlanned(Connection connection, MySqlMovePlan plan) throws SQLException {
        Set<String> planned = new HashSet<>();
        for (MySqlMovePlan.Kind kind : MySqlMovePlan.Kind.values()) {
            plan.items(kind).forEach(i -> planned.add(i.name()));
        }
        String into = target.database();
        List<String> found = new ArrayList<>();
        for (String sql : List.of("SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
                "SELECT routine_name FROM information_schema.routines WHERE routine_schema = ?",
                "SELECT event_name FROM information_schema.events WHERE event_schema = ?",
                "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = ?")) {
            MySqlQueries.rows(connection, sql, into).forEach(row -> found.add(row[0]));
        }
        found.removeIf(planned::contains);
        if (!found.isEmpty()) {
            throw new FerryException(ErrorCode.TARGET_NOT_EMPTY, step, "Target database " + target.describe()
                    + " is not empty: the staging database " + staging.database() + " cannot move into it",
                    "it holds objects the import did not bring: " + found.stream().sorted().limit(10).toList(),
                    "Drop them, or point the migration at an empty database, and resume the run");
        }
    }

    private static List<String> tablesIn(Connection connection, String database) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (String[] row : MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type <> 'VIEW' AND table_name NOT IN (?, ?) ORDER BY table_name",
                database, MySqlMovePlan.TABLE, MySqlRunMark.TABLE)) {
            tables.add(row[0]);
        }
        return tables;
    }

    private static void recreate(Connection connection, List<MySqlMovePlan.Item> items, String sqlMode) throws SQLException {
        for (MySqlMovePlan.Item item : items) {
            try (Statement statement = connection.createStatement()) {
                settings(statement, item, sqlMode);
                statement.execute(item.drop());
                statement.execute(item.create());
            }
        }
    }

    /** Views in any order: one that reads another waits for it. */
    private static void recreateViews(Connection connection, List<MySqlMovePlan.Item> views, String sqlMode)
            throws SQLException {
        List<MySqlMovePlan.Item> pending = new ArrayList<>(views);
        while (!pending.isEmpty()) {
            SQLException last = null;
            List<MySqlMovePlan.Item> next = new ArrayList<>();
            for (MySqlMovePlan.Item view : pending) {
                try (Statement statement = connection.createStatement()) {
                    settings(statement, view, sqlMode);
                    statement.execute(view.create());
                } catch (SQLException e) {
                    if (!NEEDS_ANOTHER_VIEW.contains(e.getErrorCode())) {
                        throw e;
                    }
                    last = e;
                    next.add(view);
                }
            }
            if (next.size() == pending.size()) {
                throw last;
            }
            pending = next;
        }
    }

    /** The SQL mode (the session's own for views, which keep none), collation and time zone the object was created with. */
    private static void settings(Statement statement, MySqlMovePlan.Item item, String sqlMode) throws SQLException {
        statement.execute("SET SESSION sql_mode = " + MySqlIdentifiers.literal(item.sqlMode() == null ? sqlMode : item.sqlMode()));
        if (item.collation() != null) {
            statement.execute("SET SESSION collation_connection = " + MySqlIdentifiers.literal(item.collation()));
        }
        if (item.timeZone() != null) {
            statement.execute("SET SESSION time_zone = " + MySqlIdentifiers.literal(item.timeZone()));
        }
    }
}
