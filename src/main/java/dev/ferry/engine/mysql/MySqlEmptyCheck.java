package dev.ferry.engine.mysql;

import java.sql.Connection;
import java.sql.SQLException;

/** Whether a database holds tables, views, sequences, routines, events or triggers. */
final class MySqlEmptyCheck {

    boolean isEmpty(Connection connection, String database) throws SQLException {
        String sql = """
                SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = ?)
                     + (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = ?)
                """;
        return Long.parseLong(MySqlQueries.single(connection, sql, database, database, database, database)) == 0;
    }
}
