package dev.ferry.engine.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What moving a complete staging database into its target takes, written into the staging database
 * itself (table {@value #TABLE}) before anything moves, so a resume after a crash at any point of the
 * move finds it: the tables (renamed in one statement), and the definitions of the routines,
 * triggers, views and events, which {@code RENAME TABLE} cannot move and which are recreated in the
 * target. Captured while the staging database is whole: once its tables have left, its views no
 * longer resolve and its triggers are gone.
 *
 * <p>The plan is written in one transaction ending with its {@code complete} row: a plan without it
 * was cut off before anything moved and is captured again.
 */
final class MySqlMovePlan {

    static final String TABLE = "ferry_move_plan";
    private static final String COMMENT = "ferry move plan";
    private static final String COMPLETE = "complete";

    /** One object of the move, in the order it is recreated; {@code sqlMode}, {@code collation}, {@code timeZone} may be null. */
    record Item(Kind kind, String name, String drop, String create, String sqlMode, String collation, String timeZone) {
    }

    enum Kind { TABLE, ROUTINE, TRIGGER, VIEW, EVENT }

    private final List<Item> items;

    private MySqlMovePlan(List<Item> items) {
        this.items = List.copyOf(items);
    }

    List<Item> items(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).toList();
    }

    /** The plan recorded in the staging database, or null when there is none (or only a cut-off one). */
    static MySqlMovePlan read(Connection connection, String staging) throws SQLException {
        if (!exists(connection, staging)) {
            return null;
        }
        List<Item> items = new ArrayList<>();
        boolean complete = false;
        for (String[] row : MySqlQueries.rows(connection, "SELECT kind, name, drop_statement, create_statement, sql_mode,"
                + " collation_connection, time_zone FROM " + MySqlIdentifiers.qualified(staging, TABLE) + " ORDER BY seq")) {
            if (COMPLETE.equals(row[0])) {
                complete = true;
            } else {
                items.add(new Item(Kind.valueOf(row[0]), row[1], row[2], row[3], row[4], row[5], row[6]));
            }
        }
        return complete ? new MySqlMovePlan(items) : null;
    }

    /**
     * Reads the staging database's objects and records the plan in it, replacing a cut-off one.
     * Statements are written for the target: views' names qualified by the staging database get the
     * target's; definers are kept.
     */
    static MySqlMovePlan capture(Connection connection, String staging, String target) throws SQLException {
        String table = MySqlIdentifiers.qualified(staging, TABLE);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
        }
        List<Item> items = new ArrayList<>();
        for (String[] row : MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type <> 'VIEW' AND table_name <> ? ORDER BY table_name",
                staging, MySqlRunMark.TABLE)) {
            items.add(new Item(Kind.TABLE, row[0], null, null, null, null, null));
        }
        connection.setCatalog(staging);
        items.addAll(routines(connection, staging));
        items.addAll(triggers(connection, staging));
        items.addAll(views(connection, staging, target));
        items.addAll(events(connection, staging));
        write(connection, table, items);
        return new MySqlMovePlan(items);
    }

    private static boolean exists(Connection connection, String staging) throws SQLException {
        List<String[]> rows = MySqlQueries.rows(connection, "SELECT table_comment FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name = ?", staging, TABLE);
        if (rows.isEmpty()) {
            return false;
        }
        if (!COMMENT.equals(rows.get(0)[0])) {
            throw new SQLException("The database " + staging + " holds a table " + TABLE + " that is not Ferry's move plan");
        }
        return true;
    }

    private static List<Item> routines(Connection connection, String staging) throws SQLException {
        List<Item> items = new ArrayList<>();
        for (String[] routine : MySqlQueries.rows(connection, "SELECT routine_type, routine_name FROM information_schema.routines"
                + " WHERE routine_schema = ? ORDER BY routine_type, routine_name", staging)) {
            String type = routine[0];
            String name = MySqlIdentifiers.quote(routine[1]);
            // SHOW CREATE: sql_mode, Create Function/Procedure, character_set_client, collation_connection
            String[] shown = MySqlQueries.rows(connection, "SHOW CREATE " + type + " " + name).get(0);
            requireDefinition(shown[2], type.toLowerCase(java.util.Locale.ROOT) + " " + routine[1]);
            items.add(new Item(Kind.ROUTINE, routine[1], "DROP " + type + " IF EXISTS " + name, shown[2], shown[1], shown[4], null));
        }
        return items;
    }

    /** From information_schema rather than SHOW CREATE TRIGGER, whose text is the statement as once typed, schema names and all. */
    private static List<Item> triggers(Connection connection, String staging) throws SQLException {
        List<Item> items = new ArrayList<>();
        for (String[] trigger : MySqlQueries.rows(connection, """
                SELECT trigger_name, definer, action_timing, event_manipulation, event_object_table, action_statement,
                       sql_mode, collation_connection
                FROM information_schema.triggers WHERE trigger_schema = ?
                ORDER BY event_object_table, action_timing, event_manipulation, action_order
                """, staging)) {
            String name = MySqlIdentifiers.quote(trigger[0]);
            String create = "CREATE DEFINER=" + definer(trigger[1]) + " TRIGGER " + name + " " + trigger[2] + " " + trigger[3]
                    + " ON " + MySqlIdentifiers.quote(trigger[4]) + " FOR EACH ROW " + trigger[5];
            items.add(new Item(Kind.TRIGGER, trigger[0], "DROP TRIGGER IF EXISTS " + name, create, trigger[6], trigger[7], null));
        }
        return items;
    }

    private static List<Item> views(Connection connection, String staging, String target) throws SQLException {
        List<Item> items = new ArrayList<>();
        for (String[] view : MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.views"
                + " WHERE table_schema = ? ORDER BY table_name", staging)) {
            // SHOW CREATE VIEW: View, Create View, character_set_client, collation_connection
            String[] shown = MySqlQueries.rows(connection, "SHOW CREATE VIEW " + MySqlIdentifiers.quote(view[0])).get(0);
            requireDefinition(shown[1], "view " + view[0]);
            String create = shown[1].replace(MySqlIdentifiers.quote(staging) + ".", MySqlIdentifiers.quote(target) + ".")
                    .replaceFirst("^CREATE ", "CREATE OR REPLACE ");
            items.add(new Item(Kind.VIEW, view[0], null, create, null, shown[3], null));
        }
        return items;
    }

    private static List<Item> events(Connection connection, String staging) throws SQLException {
        List<Item> items = new ArrayList<>();
        for (String[] event : MySqlQueries.rows(connection, "SELECT event_name FROM information_schema.events"
                + " WHERE event_schema = ? ORDER BY event_name", staging)) {
            String name = MySqlIdentifiers.quote(event[0]);
            // SHOW CREATE EVENT: Event, sql_mode, time_zone, Create Event, character_set_client, collation_connection
            String[] shown = MySqlQueries.rows(connection, "SHOW CREATE EVENT " + name).get(0);
            requireDefinition(shown[3], "event " + event[0]);
            items.add(new Item(Kind.EVENT, event[0], "DROP EVENT IF EXISTS " + name, shown[3], shown[1], shown[5], shown[2]));
        }
        return items;
    }

    private static void write(Connection connection, String table, List<Item> items) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (seq INT NOT NULL PRIMARY KEY, kind VARCHAR(16) NOT NULL,"
                    + " name VARCHAR(64) NOT NULL, drop_statement TEXT NULL, create_statement LONGTEXT NULL, sql_mode TEXT NULL,"
                    + " collation_connection VARCHAR(64) NULL, time_zone VARCHAR(64) NULL)"
                    + " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT = '" + COMMENT + "'");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (seq, kind, name, drop_statement, create_statement, sql_mode, collation_connection, time_zone)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Item item : items) {
                insert.setInt(1, ++seq);
                insert.setString(2, item.kind().name());
                insert.setString(3, item.name());
                insert.setString(4, item.drop());
                insert.setString(5, item.create());
                insert.setString(6, item.sqlMode());
                insert.setString(7, item.collation());
                insert.setString(8, item.timeZone());
                insert.addBatch();
            }
            insert.setInt(1, ++seq);
            insert.setString(2, COMPLETE);
            insert.setString(3, COMPLETE);
            for (int i = 4; i <= 8; i++) {
                insert.setString(i, null);
            }
            insert.addBatch();
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** {@code user@host} as a definer clause: {@code `user`@`host`} (the user may hold an {@code @}, the host does not). */
    static String definer(String definer) {
        int at = definer.lastIndexOf('@');
        if (at < 0) {
            return MySqlIdentifiers.quote(definer);
        }
        return MySqlIdentifiers.quote(definer.substring(0, at)) + "@" + MySqlIdentifiers.quote(definer.substring(at + 1));
    }

    /** SHOW CREATE gives NULL to a user who may not see the definition: nothing could be recreated. */
    private static void requireDefinition(String definition, String what) throws SQLException {
        if (definition == null) {
            throw new SQLException("The definition of the " + what + " cannot be read (SHOW CREATE returned none)");
        }
    }
}
