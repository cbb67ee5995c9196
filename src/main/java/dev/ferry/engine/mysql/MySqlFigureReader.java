package dev.ferry.engine.mysql;

import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.FirstValue;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.Inventory.Counter;
import dev.ferry.engine.Inventory.TableFigures;
import dev.ferry.engine.SideBySide;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Reads an {@link Inventory} through sessions whose consistent snapshots began at one moment (the
 * caller makes sure of that): the first reads the catalog, the counters and the checks, all share
 * the tables, largest first.
 */
final class MySqlFigureReader {

    private final MySqlCatalog catalog = new MySqlCatalog();

    /** Starts a read-only consistent snapshot on a session (autocommit on, so the driver does not begin one of its own). */
    static void beginSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            // TIMESTAMP values are shown in the session's zone: pin it so servers in other zones agree
            statement.execute("SET time_zone = '+00:00'");
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
    }

    static void endSnapshot(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // closing the session ends it too
        }
    }

    /** AUTO_INCREMENT of every table and the next value of every sequence: counters, which move outside transactions. */
    SortedMap<String, Counter> counters(Connection connection, String database) throws SQLException {
        // MariaDB reads AUTO_INCREMENT live and has no such variable (its driver would log the refusal); MySQL 8 caches it
        String flavour = MySqlVersions.fromServer(connection.getMetaData().getDatabaseProductVersion(), null).flavour();
        if (MySqlVersions.MYSQL.equals(flavour)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION information_schema_stats_expiry = 0");
            } catch (SQLException before8) {
                // MySQL before 8.0 reads it live as well
            }
        }
        SortedMap<String, Counter> counters = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(connection, "SELECT table_name, auto_increment FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type IN (" + MySqlCatalog.BASE_TABLES + ") AND auto_increment IS NOT NULL",
                database)) {
            counters.put(row[0] + " auto_increment", new Counter(Long.parseLong(row[1]), false));
        }
        for (String[] row : MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'SEQUENCE'", database)) {
            String[] state = MySqlQueries.rows(connection, "SELECT next_not_cached_value, increment FROM "
                    + MySqlIdentifiers.qualified(database, row[0])).get(0);
            counters.put(row[0], new Counter(Long.parseLong(state[0]), Long.parseLong(state[1]) < 0));
        }
        return Collections.unmodifiableSortedMap(counters);
    }

    /** Reads everything but the counters through {@code sessions}, each already in its snapshot. */
    Inventory read(List<Connection> sessions, String database, SortedMap<String, Counter> counters, FigureRequest request)
            throws SQLException {
        if (request.rowHash() != null && !MySqlRowHash.CRC32.equals(request.rowHash())) {
            throw new SQLException("The artifact's figures hash rows with '" + request.rowHash() + "', which this Ferry does not know");
        }
        Connection main = sessions.get(0);
        List<String> tables = new ArrayList<>();
        for (String[] row : MySqlQueries.rows(main, "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                + " AND table_type IN (" + MySqlCatalog.BASE_TABLES + ") ORDER BY data_length + index_length DESC, table_name",
                database)) {
            tables.add(row[0]);
        }
        Map<String, List<String[]>> columns = new TreeMap<>();
        for (String[] row : MySqlQueries.rows(main, "SELECT table_name, column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = ? ORDER BY table_name, ordinal_position", database)) {
            columns.computeIfAbsent(row[0], k -> new ArrayList<>()).add(new String[] {row[1], row[2]});
        }
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(tables);
        Map<String, TableFigures> figures = new ConcurrentSkipListMap<>();
        List<SideBySide.SqlJob> workers = new ArrayList<>();
        for (Connection worker : sessions.subList(1, sessions.size())) {
            workers.add(() -> drain(worker, database, queue, columns, figures, request.checksums()));
        }
        SortedMap<String, String> checks = new TreeMap<>();
        SortedMap<String, SortedMap<String, String>> objects = SideBySide.run(workers, queue::clear, () -> {
            SortedMap<String, SortedMap<String, String>> own = catalog.read(main, database);
            for (Map.Entry<String, String> check : new TreeMap<>(request.checks()).entrySet()) {
                try {
                    checks.put(check.getKey(), FirstValue.of(main, check.getValue()));
                } catch (SQLException e) {
                    throw new SQLException("check " + check.getKey() + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
            }
            drain(main, database, queue, columns, figures, request.checksums());
            return own;
        });
        return new Inventory(request.checksums() ? MySqlRowHash.CRC32 : null, Collections.unmodifiableSortedMap(new TreeMap<>(figures)),
                counters, Collections.unmodifiableSortedMap(objects), Collections.unmodifiableSortedMap(checks),
                MySqlCatalog.NOT_COMPARED);
    }

    private static void drain(Connection connection, String database, ConcurrentLinkedQueue<String> queue,
                              Map<String, List<String[]>> columns, Map<String, TableFigures> figures, boolean checksums)
            throws SQLException {
        String table;
        while ((table = queue.poll()) != null) {
            String from = " FROM " + MySqlIdentifiers.qualified(database, table);
            List<String[]> tableColumns = columns.getOrDefault(table, List.of());
            String sql = checksums && !tableColumns.isEmpty()
                    ? "SELECT COUNT(*), " + MySqlRowHash.sum(tableColumns) + from
                    : "SELECT COUNT(*), NULL" + from;
            String[] result = MySqlQueries.rows(connection, sql).get(0);
            figures.put(table, new TableFigures(Long.parseLong(result[0]), result[1]));
        }
    }
}
