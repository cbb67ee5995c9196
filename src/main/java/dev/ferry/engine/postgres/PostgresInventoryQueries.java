package dev.ferry.engine.postgres;

import dev.ferry.engine.Inventory;
import dev.ferry.engine.Inventory.TableFigures;

import java.sql.Connection;
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
 * The catalog and per-table queries behind a smoke test. User objects are those outside the
 * system schemas (names starting with pg_ are reserved for them) that no extension owns.
 */
final class PostgresInventoryQueries {

    static final String VIEWS = "views";
    static final String FUNCTIONS = "functions";
    static final String EXTENSIONS = "extensions";

    private static final String USER_SCHEMA = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";
    private static final String USER_RELATIONS = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN (%s) AND %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """;
    private static final String USER_FUNCTIONS = """
            SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            """.formatted(USER_SCHEMA);
    /*
     * Rows are hashed in their text form, so the settings that shape that text are pinned: the same
     * data then hashes alike on servers configured differently.
     */
    private static final List<String> STABLE_TEXT_SETTINGS = List.of(
            "SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
            "SET bytea_output = 'hex'", "SET extra_float_digits = 1");

    boolean isEmpty(Connection connection) throws SQLException {
        String sql = "SELECT NOT EXISTS (" + relations("'r','p','v','m','S','f'")
                + ") AND NOT EXISTS (" + USER_FUNCTIONS + ")";
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getBoolean(1);
        }
    }

    /** Expects a read-only, repeatable-read transaction so that all figures describe one snapshot. */
    Inventory read(Connection connection, boolean checksums) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String setting : STABLE_TEXT_SETTINGS) {
                statement.execute(setting);
            }
        }
        SortedMap<String, TableFigures> tables = new TreeMap<>();
        for (String[] table : names(connection, relations("'r','p'"))) {
            tables.put(table[0] + "." + table[1], tableFigures(connection, table[0], table[1], checksums));
        }
        SortedMap<String, String> sequences = new TreeMap<>();
        for (String[] sequence : names(connection, relations("'S'"))) {
            sequences.put(sequence[0] + "." + sequence[1], sequenceState(connection, sequence[0], sequence[1]));
        }
        Map<String, Set<String>> objects = new LinkedHashMap<>();
        objects.put(VIEWS, qualifiedNames(names(connection, relations("'v','m'"))));
        objects.put(FUNCTIONS, functions(connection));
        objects.put(EXTENSIONS, qualifiedNames(names(connection, "SELECT extname FROM pg_extension")));
        return new Inventory(Collections.unmodifiableSortedMap(tables), Collections.unmodifiableSortedMap(sequences),
                Collections.unmodifiableMap(objects));
    }

    private static String relations(String relkinds) {
        return USER_RELATIONS.formatted(relkinds, USER_SCHEMA);
    }

    private static TableFigures tableFigures(Connection connection, String schema, String table, boolean checksums)
            throws SQLException {
        String from = " FROM " + PostgresIdentifiers.qualified(schema, table) + " AS r";
        // each row's md5, cut to 64 bits and summed: the order rows come in does not matter
        String sql = checksums
                ? "SELECT count(*), coalesce(sum(('x' || substr(md5(ROW(r.*)::text), 1, 16))::bit(64)::bigint::numeric), 0)::text" + from
                : "SELECT count(*), NULL::text" + from;
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return new TableFigures(result.getLong(1), result.getString(2));
        }
    }

    private static String sequenceState(Connection connection, String schema, String sequence) throws SQLException {
        String sql = "SELECT last_value, is_called FROM " + PostgresIdentifiers.qualified(schema, sequence);
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1) + "/" + result.getBoolean(2);
        }
    }

    private static Set<String> functions(Connection connection) throws SQLException {
        SortedSet<String> functions = new TreeSet<>();
        for (String[] function : names(connection, USER_FUNCTIONS)) {
            functions.add(function[0] + "." + function[1] + "(" + function[2] + ")");
        }
        return Collections.unmodifiableSortedSet(functions);
    }

    private static Set<String> qualifiedNames(List<String[]> rows) {
        SortedSet<String> names = new TreeSet<>();
        for (String[] row : rows) {
            names.add(String.join(".", row));
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /** Catalog rows as text columns; catalogs are small, unlike the tables they describe. */
    private static List<String[]> names(Connection connection, String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
