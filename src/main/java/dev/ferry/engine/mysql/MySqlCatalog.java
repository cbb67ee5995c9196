package dev.ferry.engine.mysql;

import dev.ferry.engine.DefinitionText;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The schema fingerprint of one MySQL/MariaDB database, as kind → name → definition, from
 * information_schema. Names are not qualified by the database, and the database's own name is
 * cut out of view definitions, so a source and a target database of different names compare alike.
 */
final class MySqlCatalog {

    static final String BASE_TABLES = "'BASE TABLE', 'SYSTEM VERSIONED'";

    static final List<String> NOT_COMPARED = List.of(
            "users and grants (not carried by the dump)",
            "DEFINER accounts and SQL modes of views, routines, triggers and events",
            "rows of non-transactional tables (MyISAM, Aria) are read outside the snapshot and may differ on a live source",
            "table statistics and histograms");

    SortedMap<String, SortedMap<String, String>> read(Connection connection, String database) throws SQLException {
        SortedMap<String, SortedMap<String, String>> objects = new TreeMap<>();
        objects.put("table-definitions", pairs(connection, """
                SELECT t.table_name, CONCAT_WS(', ', t.engine, CONCAT(c.character_set_name, '/', t.table_collation),
                       NULLIF(t.create_options, ''), NULLIF(CONCAT('comment ', t.table_comment), 'comment '))
                FROM information_schema.tables t
                LEFT JOIN information_schema.collations c ON c.collation_name = t.table_collation
                WHERE t.table_schema = ? AND t.table_type IN (%s)
                """.formatted(BASE_TABLES), database));
        objects.put("columns", pairs(connection, """
                SELECT CONCAT(c.table_name, '.', c.column_name),
                       CONCAT_WS(' ', CONCAT('#', c.ordinal_position), c.column_type,
                                 IF(c.is_nullable = 'YES', 'null', 'not null'),
                                 IF(c.column_default IS NULL, NULL, CONCAT('default ', c.column_default)),
                                 NULLIF(c.extra, ''),
                                 IF(COALESCE(c.generation_expression, '') = '', NULL, CONCAT('as ', c.generation_expression)),
                                 IF(c.collation_name IS NULL, NULL, CONCAT('collate ', c.collation_name)),
                                 IF(c.column_comment = '', NULL, CONCAT('comment ', c.column_comment)))
                FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = ? AND t.table_type IN (%s)
                """.formatted(BASE_TABLES), database));
        objects.put("indexes", pairs(connection, """
                SELECT CONCAT(table_name, '.', index_name),
                       CONCAT(IF(non_unique = 0, 'unique ', ''), index_type, ' (',
                              GROUP_CONCAT(CONCAT(column_name, IFNULL(CONCAT('(', sub_part, ')'), ''),
                                                  IF(collation = 'D', ' desc', '')) ORDER BY seq_in_index SEPARATOR ', '), ')')
                FROM information_schema.statistics WHERE table_schema = ?
                GROUP BY table_name, index_name, non_unique, index_type
                """, database));
        objects.put("foreign-keys", foreignKeys(connection, database));
        objects.put("check-constraints", checks(connection, database));
        objects.put("triggers", pairs(connection, """
                SELECT trigger_name, CONCAT_WS(' ', action_timing, event_manipulation, 'on', event_object_table,
                                               CONCAT('order ', action_order), action_statement)
                FROM information_schema.triggers WHERE trigger_schema = ?
                """, database));
        objects.put("routines", pairs(connection, """
                SELECT CONCAT(r.routine_type, ' ', r.routine_name),
                       CONCAT_WS(' ', CONCAT('(', COALESCE((SELECT GROUP_CONCAT(CONCAT_WS(' ', p.parameter_mode, p.parameter_name,
                                        p.dtd_identifier) ORDER BY p.ordinal_position SEPARATOR ', ')
                                   FROM information_schema.parameters p
                                   WHERE p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name
                                     AND p.ordinal_position > 0), ''), ')'),
                                 IF(r.dtd_identifier IS NULL, NULL, CONCAT('returns ', r.dtd_identifier)),
                                 IF(r.is_deterministic = 'YES', 'deterministic', NULL), r.sql_data_access,
                                 CONCAT('security ', r.security_type), r.routine_definition)
                FROM information_schema.routines r WHERE r.routine_schema = ?
                """, database));
        objects.put("events", pairs(connection, """
                SELECT event_name, CONCAT_WS(' ', status, event_type,
                                            IF(interval_value IS NULL, NULL, CONCAT('every ', interval_value, ' ', interval_field)),
                                            CONCAT('on completion ', on_completion), event_definition)
                FROM information_schema.events WHERE event_schema = ?
                """, database));
        SortedMap<String, String> views = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(connection, """
                SELECT table_name, view_definition, check_option, security_type
                FROM information_schema.views WHERE table_schema = ?
                """, database)) {
            String definition = row[1] == null ? "" : row[1].replace(MySqlIdentifiers.quote(database) + ".", "");
            views.put(row[0], DefinitionText.of(definition) + " check " + row[2] + " security " + row[3]);
        }
        objects.put("views", Collections.unmodifiableSortedMap(views));
        objects.put("sequences", sequences(connection, database));
        return objects;
    }

    private static SortedMap<String, String> foreignKeys(Connection connection, String database) throws SQLException {
        SortedMap<String, String> keys = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(connection, """
                SELECT k.table_name, k.constraint_name,
                       GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position SEPARATOR ', '),
                       IF(k.referenced_table_schema = k.table_schema, k.referenced_table_name,
                          CONCAT(k.referenced_table_schema, '.', k.referenced_table_name)),
                       GROUP_CONCAT(k.referenced_column_name ORDER BY k.ordinal_position SEPARATOR ', '),
                       r.update_rule, r.delete_rule
                FROM information_schema.key_column_usage k
                JOIN information_schema.referential_constraints r
                  ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
                 AND r.table_name = k.table_name
                WHERE k.table_schema = ? AND k.referenced_table_name IS NOT NULL
                GROUP BY k.table_name, k.constraint_name, k.referenced_table_schema, k.table_schema, k.referenced_table_name,
                         r.update_rule, r.delete_rule
                """, database)) {
            keys.put(row[0] + "." + row[1], "(" + row[2] + ") references " + row[3] + " (" + row[4] + ") on update " + row[5]
                    + " on delete " + row[6]);
        }
        return Collections.unmodifiableSortedMap(keys);
    }

    /** MariaDB names a check's table in check_constraints; MySQL only in table_constraints. */
    private static SortedMap<String, String> checks(Connection connection, String database) throws SQLException {
        try {
            return pairs(connection, """
                    SELECT CONCAT(table_name, '.', constraint_name), check_clause
                    FROM information_schema.check_constraints WHERE constraint_schema = ?
                    """, database);
        } catch (SQLException mysql) {
            return pairs(connection, """
                    SELECT CONCAT(t.table_name, '.', c.constraint_name), c.check_clause
                    FROM information_schema.check_constraints c
                    JOIN information_schema.table_constraints t
                      ON t.constraint_schema = c.constraint_schema AND t.constraint_name = c.constraint_name
                    WHERE c.constraint_schema = ? AND t.constraint_type = 'CHECK'
                    """, database);
        }
    }

    /** MariaDB sequences' definitions (their next values are counters). */
    private static SortedMap<String, String> sequences(Connection connection, String database) throws SQLException {
        SortedMap<String, String> sequences = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'SEQUENCE'", database)) {
            String[] definition = MySqlQueries.rows(connection, "SELECT start_value, minimum_value, maximum_value, increment,"
                    + " cache_size, cycle_option FROM " + MySqlIdentifiers.qualified(database, row[0])).get(0);
            sequences.put(row[0], "start " + definition[0] + " min " + definition[1] + " max " + definition[2] + " increment "
                    + definition[3] + " cache " + definition[4] + (definition[5].equals("1") ? " cycle" : ""));
        }
        return Collections.unmodifiableSortedMap(sequences);
    }

    private static SortedMap<String, String> pairs(Connection connection, String sql, String... parameters) throws SQLException {
        SortedMap<String, String> pairs = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(connection, sql, parameters)) {
            pairs.put(row[0], DefinitionText.of(row[1]));
        }
        return Collections.unmodifiableSortedMap(pairs);
    }
}
