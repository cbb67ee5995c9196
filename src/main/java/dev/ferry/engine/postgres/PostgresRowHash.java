package dev.ferry.engine.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a table's content checksum is computed: the sum over its rows of a 64-bit row hash, so the
 * order rows come in does not matter. Chosen on measurement (README, "What Ferry guarantees"):
 * <ul>
 *   <li>{@value #TYPED} (PostgreSQL 14 and later): {@code hash_record_extended} over the row, each
 *       column hashed by its type's own hash function — the ones hash partitioning relies on to stay
 *       equal across servers and versions. Only for built-in types whose hash reads the value alone;
 *       enums (hashed by OID), reg* types, extension types, composite and range types and columns of
 *       nondeterministic collations are hashed through their text form instead.</li>
 *   <li>{@value #TEXT}: {@code hashtextextended} of the row's text form, for older servers.</li>
 * </ul>
 * The figures name the method, so the other side hashes alike.
 */
final class PostgresRowHash {

    static final String TYPED = "postgresql-typed-hash-1";
    static final String TEXT = "postgresql-text-hash-1";

    /** int2, int4, int8, numeric, float4, float8, bool, text, varchar, bpchar, name, bytea, "char", oid, date, time,
     *  timetz, timestamp, timestamptz, interval, uuid, inet, cidr, macaddr, macaddr8, jsonb, pg_lsn. */
    private static final Set<Long> VALUE_HASHED = Set.of(21L, 23L, 20L, 1700L, 700L, 701L, 16L, 25L, 1043L, 1042L, 19L, 17L,
            18L, 26L, 1082L, 1083L, 1266L, 1114L, 1184L, 1186L, 2950L, 869L, 650L, 829L, 774L, 3802L, 3220L);

    private PostgresRowHash() {
    }

    static String best(int serverMajor) {
        return serverMajor >= 14 ? TYPED : TEXT;
    }

    static boolean known(String method) {
        return TYPED.equals(method) || TEXT.equals(method);
    }

    /** The SQL expression hashing one row of alias {@code r}, whose columns are given in order. */
    static String expression(String method, List<Column> columns, TypeCatalog types) {
        if (TEXT.equals(method) || columns.isEmpty()) {
            return "hashtextextended(r::text COLLATE \"C\", 0)";
        }
        List<String> parts = new ArrayList<>();
        for (Column column : columns) {
            String name = "r." + PostgresIdentifiers.quote(column.name());
            parts.add(column.deterministic() && types.valueHashed(column.type())
                    ? name : "hashtextextended(" + name + "::text COLLATE \"C\", 0)");
        }
        return "hash_record_extended(ROW(" + String.join(", ", parts) + "), 0)";
    }

    record Column(String name, long type, boolean deterministic) {
    }

    /** What a type is made of: domains and arrays are hashed as what they wrap. */
    static final class TypeCatalog {
        private final Map<Long, long[]> wraps = new HashMap<>();

        static TypeCatalog read(Connection connection) throws SQLException {
            TypeCatalog catalog = new TypeCatalog();
            String sql = "SELECT oid::bigint, CASE WHEN typtype = 'd' THEN typbasetype::bigint"
                    + " WHEN typcategory = 'A' AND typelem <> 0 THEN typelem::bigint ELSE 0 END FROM pg_type";
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    catalog.wraps.put(result.getLong(1), new long[] {result.getLong(2)});
                }
            }
            return catalog;
        }

        boolean valueHashed(long type) {
            long current = type;
            for (int depth = 0; depth < 16; depth++) {
                if (VALUE_HASHED.contains(current)) {
                    return true;
                }
                long[] wrapped = wraps.get(current);
                if (wrapped == null || wrapped[0] == 0) {
                    return false;
                }
                current = wrapped[0];
            }
            return false;
        }
    }
}
