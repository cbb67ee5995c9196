package dev.ferry.engine.mysql;

import dev.ferry.engine.Inventory;
import dev.ferry.engine.Inventory.TableFigures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The catalog and per-table queries behind a smoke test, all within one database. Names are not
 * qualified by the database, so a source and a target database of different names compare alike.
 *
 * <p>A table's checksum is the sum, over its rows, of the first 64 bits of the MD5 of the row's
 * text: the order rows come in does not matter. Each column becomes {@code ~} for NULL or
 * {@code <byte length>:<text>} (so no NULL, separator or empty string is mistaken for another);
 * text columns in utf8mb4, binary columns (and spatial ones) in hex, BIT as a number, everything
 * else in the server's text form with the session time zone at UTC. {@code CHECKSUM TABLE} is not
 * used: it depends on the row format and the server version. JSON is hashed as text: MariaDB keeps
 * the text as written, MySQL normalises it, so a JSON column compares alike only within a flavour.
 */
final class MySqlInventoryQueries {

    static final String VIEWS = "views";
    static final String ROUTINES = "routines";
    static final String TRIGGERS = "triggers";
    static final String EVENTS = "events";
    static final String TABLE_COLLATIONS = "table-collations";

    private static final String TABLES = "'BASE TABLE', 'SYSTEM VERSIONED'";
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "enum", "set", "json");
    private static final Set<String> BINARY_TYPES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection", "geomcollection");

    boolean isEmpty(Connection connection, String database) throws SQLException {
        String sql = """
                SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = ?)
                """;
        List<String[]> rows = rows(connection, sql, database, database, database, database);
        return Long.parseLong(rows.get(0)[0]) == 0;
    }

    /** Expects a read-only, repeatable-read transaction so that all figures describe one snapshot. */
    Inventory read(Connection connection, String database, boolean checksums) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // TIMESTAMP values are shown in the session's zone: pin it so servers in other zones agree
            statement.execute("SET time_zone = '+00:00'");
        }
        SortedMap<String, TableFigures> tables = new TreeMap<>();
        for (String[] table : rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type IN (" + TABLES + ")", database)) {
            tables.put(table[0], tableFigures(connection, database, table[0], checksums));
        }
        SortedMap<String, String> sequences = new TreeMap<>();
        for (String[] sequence : rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'SEQUENCE'", database)) {
            sequences.put(sequence[0], single(connection, "SELECT next_not_cached_value FROM "
                    + MySqlIdentifiers.qualified(database, sequence[0])));
        }
        Map<String, Set<String>> objects = new LinkedHashMap<>();
        objects.put(VIEWS, joined(rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'VIEW'", database), ""));
        objects.put(ROUTINES, joined(rows(connection, "SELECT routine_type, routine_name FROM information_schema.routines"
                + " WHERE routine_schema = ?", database), " "));
        objects.put(TRIGGERS, joined(rows(connection, "SELECT event_object_table, trigger_name, action_timing,"
                + " event_manipulation FROM information_schema.triggers WHERE trigger_schema = ?", database), " "));
        objects.put(EVENTS, joined(rows(connection, "SELECT event_name, status FROM information_schema.events"
                + " WHERE event_schema = ?", database), " "));
        objects.put(TABLE_COLLATIONS, tableCollations(connection, database));
        return new Inventory(Collections.unmodifiableSortedMap(tables), Collections.unmodifiableSortedMap(sequences),
                Collections.unmodifiableMap(objects));
    }

    /** Per table its character set and collation, and every column whose collation is not the table's. */
    private static Set<String> tableCollations(Connection connection, String database) throws SQLException {
        SortedSet<String> names = new TreeSet<>();
        for (String[] row : rows(connection, """
                SELECT t.table_name, c.character_set_name, t.table_collation
                FROM information_schema.tables t
                LEFT JOIN information_schema.collations c ON c.collation_name = t.table_collation
                WHERE t.table_schema = ? AND t.table_type IN (%s)
                """.formatted(TABLES), database)) {
            names.add(row[0] + " " + row[1] + "/" + row[2]);
        }
        for (String[] row : rows(connection, """
                SELECT c.table_name, c.column_name, c.character_set_name, c.collation_name
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = ? AND t.table_type IN (%s)
                  AND c.collation_name IS NOT NULL AND c.collation_name <> t.table_collation
                """.formatted(TABLES), database)) {
            names.add(row[0] + "." + row[1] + " " + row[2] + "/" + row[3]);
        }
        return Collections.unmodifiableSortedSet(names);
    }

    private static TableFigures tableFigures(Connection connection, String database, String table, boolean checksums)
            throws SQLException {
        String from = " FROM " + MySqlIdentifiers.qualified(database, table);
        if (!checksums) {
            return new TableFigures(Long.parseLong(single(connection, "SELECT COUNT(*)" + from)), null);
        }
        List<String[]> columns = rows(connection, "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", database, table);
        String sql = "SELECT COUNT(*), CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(" + rowText(columns)
                + "), 1, 16), 16, 10) AS DECIMAL(65, 0))), 0) AS CHAR)" + from;
        List<String[]> result = rows(connection, sql);
        return new TableFigures(Long.parseLong(result.get(0)[0]), result.get(0)[1]);
    }

    /** One row as one utf8mb4 text: each column "~" for NULL, else its byte length, ':' and its text. */
    static String rowText(List<String[]> columns) {
        List<String> parts = new ArrayList<>();
        for (String[] column : columns) {
            String name = MySqlIdentifiers.quote(column[0]);
            String text = "CONVERT(" + valueText(name, column[1]) + " USING utf8mb4)";
            parts.add("IF(" + name + " IS NULL, '~', CONCAT(LENGTH(" + text + "), ':', " + text + "))");
        }
        return "CONCAT_WS('|', " + String.join(", ", parts) + ")";
    }

    private static String valueText(String column, String dataType) {
        String type = dataType.toLowerCase(java.util.Locale.ROOT);
        if (BINARY_TYPES.contains(type)) {
            return "HEX(" + column + ")";
        }
        if ("bit".equals(type)) {
            return "CAST(" + column + " AS UNSIGNED)";
        }
        if (TEXT_TYPES.contains(type)) {
            return column;
        }
        return "CAST(" + column + " AS CHAR)";
    }

    private static Set<String> joined(List<String[]> rows, String separator) {
        SortedSet<String> names = new TreeSet<>();
        for (String[] row : rows) {
            names.add(String.join(separator, row));
        }
        return Collections.unmodifiableSortedSet(names);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        return rows(connection, sql).get(0)[0];
    }

    /** Rows as text columns; catalogs and aggregates are small, unlike the tables they describe. */
    private static List<String[]> rows(Connection connection, String sql, String... parameters) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                int count = result.getMetaData().getColumnCount();
                while (result.next()) {
                    String[] row = new String[count];
                    for (int i = 0; i < count; i++) {
                        row[i] = result.getString(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
