package dev.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lets a test's migration route run one SQL statement of the test's on a database, right where the
 * route calls it ({@code class:dev.ferry.testing.OnceSql?method=run}), once: a schema change made by
 * someone else in the middle of a run. Only for routes run in the test's own JVM.
 */
public final class OnceSql {

    private static volatile String[] armed;

    private OnceSql() {
    }

    public static void arm(String jdbcUrl, String user, String password, String sql) {
        armed = new String[] {jdbcUrl, user, password, sql};
    }

    public static void run() throws SQLException {
        String[] statement = armed;
        armed = null;
        if (statement == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(statement[0], statement[1], statement[2]);
             Statement sql = connection.createStatement()) {
            sql.execute(statement[3]);
        }
    }
}
