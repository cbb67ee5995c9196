package dev.ferry.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What a check query answers: the first column of its first row as text, {@code "null"} for no row or SQL NULL. */
public final class FirstValue {

    private FirstValue() {
    }

    public static String of(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? String.valueOf(result.getString(1)) : "null";
        }
    }
}
