package dev.ferry.engine.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Whether a database holds user objects: tables, views, sequences or functions outside the system schemas. */
final class PostgresEmptyCheck {

    private static final String SQL = """
            SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %1$s
                                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                                 AND d.objid = c.oid AND d.deptype = 'e'))
               AND NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                               WHERE %1$s AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                                          AND d.objid = p.oid AND d.deptype = 'e'))
            """.formatted(PostgresCatalog.USER_SCHEMA);

    boolean isEmpty(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(SQL)) {
            result.next();
            return result.getBoolean(1);
        }
    }
}
