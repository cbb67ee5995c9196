package dev.ferry.engine.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small result sets (catalog rows, aggregates) as rows of text columns. */
final class MySqlQueries {

    private MySqlQueries() {
    }

    static List<String[]> rows(Connection connection, String sql, String... parameters) throws SQLException {
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

    static String single(Connection connection, String sql, String... parameters) throws SQLException {
        return rows(connection, sql, parameters).get(0)[0];
    }
}
