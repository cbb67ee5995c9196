package dev.ferry.engine.postgres;

import dev.ferry.engine.DefinitionText;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.FirstValue;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.Inventory.Counter;
import dev.ferry.engine.Inventory.TableFigures;
import dev.ferry.engine.SideBySide;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Reads an {@link Inventory} in one snapshot: the main connection's transaction reads the catalog,
 * the counters and the migration's checks; tables (largest first) are read by {@code jobs}
 * sessions side by side, each of which imported the main transaction's snapshot, so every figure
 * describes the same moment.
 */
final class PostgresFigureReader {

    /*
     * Rows are hashed in their text form where a type has no value hash, so the settings that shape
     * that text are pinned: the same data then hashes alike on servers configured differently.
     */
    static final List<String> STABLE_TEXT_SETTINGS = List.of(
            "SET TimeZone = 'UTC'", "SET DateStyle = 'ISO, YMD'", "SET IntervalStyle = 'postgres'",
            "SET bytea_output = 'hex'", "SET extra_float_digits = 1");

    private static final String TABLES = """
            SELECT c.oid::bigint, n.nspname, c.relname, c.relkind = 'm', c.relispopulated, pg_get_viewdef(c.oid, true)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'm') AND %s AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            ORDER BY pg_relation_size(c.oid) DESC, n.nspname, c.relname
            """.formatted(PostgresCatalog.USER_SCHEMA);
    private static final String COLUMNS = """
            SELECT a.attrelid::bigint, a.attname, a.atttypid::bigint, coalesce(co.collisdeterministic, true)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_collation co ON co.oid = a.attcollation
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'm')
            ORDER BY a.attrelid, a.attnum
            """;
    private static final String SEQUENCES = """
            SELECT n.nspname, c.relname, s.seqincrement FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE %s AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """.formatted(PostgresCatalog.USER_SCHEMA);

    private final PostgresCatalog catalog = new PostgresCatalog();

    /** Pins the text settings; call before the connection's transaction begins. */
    static void prepare(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String setting : STABLE_TEXT_SETTINGS) {
                statement.execute(setting);
            }
        }
    }

    /** Sequences' next values: read before a dump starts, as they move outside transactions. */
    SortedMap<String, Counter> counters(Connection main) throws SQLException {
        SortedMap<String, Counter> counters = new TreeMap<>();
        for (String[] sequence : rows(main, SEQUENCES)) {
            long increment = Long.parseLong(sequence[2]);
            String sql = "SELECT last_value, is_called FROM " + PostgresIdentifiers.qualified(sequence[0], sequence[1]);
            try (Statement statement = main.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                long last = result.getLong(1);
                long next = last;
                if (result.getBoolean(2)) {
                    try {
                        next = Math.addExact(last, increment);
                    } catch (ArithmeticException exhausted) {
                        next = last;
                    }
                }
                counters.put(sequence[0] + "." + sequence[1], new Counter(next, increment < 0));
            }
        }
        return Collections.unmodifiableSortedMap(counters);
    }

    /**
     * Reads everything but the counters, given already. {@code workers} opens a session in the main
     * transaction's snapshot; it is used only when {@code request.jobs() > 1}.
     */
    Inventory read(Connection main, SortedMap<String, Counter> counters, FigureRequest request, int serverMajor,
                   SessionSource workers) throws SQLException {
        String method = request.rowHash() != null ? request.rowHash() : PostgresRowHash.best(serverMajor);
        if (!PostgresRowHash.known(method)) {
            throw new SQLException("The artifact's figures hash rows with '" + method + "', which this Ferry does not know");
        }
        List<Relation> relations = relations(main);
        PostgresRowHash.TypeCatalog types = PostgresRowHash.TypeCatalog.read(main);
        Map<Long, List<PostgresRowHash.Column>> columns = columns(main);
        ConcurrentLinkedQueue<Relation> queue = new ConcurrentLinkedQueue<>(relations);
        Map<String, TableFigures> figures = new ConcurrentSkipListMap<>();
        int jobs = Math.min(request.jobs(), Math.max(1, relations.size()));
        List<SideBySide.SqlJob> workerJobs = new ArrayList<>();
        for (int i = 0; jobs > 1 && i < jobs; i++) {
            workerJobs.add(() -> {
                try (Connection worker = workers.open()) {
                    drain(worker, queue, figures, request.checksums(), method, columns, types);
                }
            });
        }
        CatalogAndChecks read = SideBySide.run(workerJobs, queue::clear, () -> {
            CatalogAndChecks own = new CatalogAndChecks(catalog.read(main), checks(main, request.checks()));
            if (jobs <= 1) {
                drain(main, queue, figures, request.checksums(), method, columns, types);
            }
            return own;
        });
        SortedMap<String, SortedMap<String, String>> objects = read.objects();
        SortedMap<String, TableFigures> tables = new TreeMap<>();
        SortedMap<String, String> materialized = new TreeMap<>();
        for (Relation relation : relations) {
            TableFigures content = figures.get(relation.name());
            if (!relation.materialized()) {
                tables.put(relation.name(), content);
            } else {
                materialized.put(relation.name(), (relation.populated()
                        ? "populated, " + content.rows() + " rows" + (content.checksum() == null ? "" : ", checksum " + content.checksum())
                        : "not populated") + ", " + DefinitionText.of(relation.definition()));
            }
        }
        objects.put("materialized-views", Collections.unmodifiableSortedMap(materialized));
        return new Inventory(request.checksums() ? method : null, Collections.unmodifiableSortedMap(tables), counters,
                Collections.unmodifiableSortedMap(objects), read.checks(), PostgresCatalog.NOT_COMPARED);
    }

    private static void drain(Connection connection, ConcurrentLinkedQueue<Relation> queue, Map<String, TableFigures> figures,
                              boolean checksums, String method, Map<Long, List<PostgresRowHash.Column>> columns,
                              PostgresRowHash.TypeCatalog types) throws SQLException {
        Relation relation;
        while ((relation = queue.poll()) != null) {
            if (relation.materialized() && !relation.populated()) {
                continue;
            }
            String from = " FROM " + PostgresIdentifiers.qualified(relation.schema(), relation.table()) + " AS r";
            String sql = checksums
                    ? "SELECT count(*), coalesce(sum(" + PostgresRowHash.expression(method,
                            columns.getOrDefault(relation.oid(), List.of()), types) + "::numeric), 0)::text" + from
                    : "SELECT count(*), NULL::text" + from;
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                figures.put(relation.name(), new TableFigures(result.getLong(1), result.getString(2)));
            }
        }
    }

    /** The migration's checks, each in a savepoint: a failing query names itself and leaves the snapshot usable. */
    private static SortedMap<String, String> checks(Connection main, Map<String, String> queries) throws SQLException {
        SortedMap<String, String> values = new TreeMap<>();
        for (Map.Entry<String, String> check : new TreeMap<>(queries).entrySet()) {
            Savepoint savepoint = main.setSavepoint();
            try {
                values.put(check.getKey(), FirstValue.of(main, check.getValue()));
                main.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                main.rollback(savepoint);
                throw new SQLException("check " + check.getKey() + " failed: " + e.getMessage(), e.getSQLState(), e);
            }
        }
        return Collections.unmodifiableSortedMap(values);
    }

    private static List<Relation> relations(Connection connection) throws SQLException {
        List<Relation> relations = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(TABLES)) {
            while (result.next()) {
                relations.add(new Relation(result.getLong(1), result.getString(2), result.getString(3), result.getBoolean(4),
                        result.getBoolean(5), result.getString(6)));
            }
        }
        return relations;
    }

    private static Map<Long, List<PostgresRowHash.Column>> columns(Connection connection) throws SQLException {
        Map<Long, List<PostgresRowHash.Column>> columns = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(COLUMNS)) {
            while (result.next()) {
                columns.computeIfAbsent(result.getLong(1), k -> new ArrayList<>())
                        .add(new PostgresRowHash.Column(result.getString(2), result.getLong(3), result.getBoolean(4)));
            }
        }
        return columns;
    }

    private static List<String[]> rows(Connection connection, String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int count = result.getMetaData().getColumnCount();
            while (result.next()) {
                String[] row = new String[count];
                for (int i = 0; i < count; i++) {
                    row[i] = result.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private record CatalogAndChecks(SortedMap<String, SortedMap<String, String>> objects, SortedMap<String, String> checks) {
    }

    private record Relation(long oid, String schema, String table, boolean materialized, boolean populated, String definition) {
        String name() {
            return schema + "." + table;
        }
    }

    /** Opens a session that reads the main transaction's snapshot. */
    interface SessionSource {
        Connection open() throws SQLException;
    }
}
