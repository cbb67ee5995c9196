package dev.ferry.engine.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Which run imports a staging database: one row in its table {@value #TABLE}, since MySQL has no
 * database comments ({@code ALTER DATABASE ... COMMENT} is MariaDB's). Kept in the staging
 * database only: the move takes every table but this one and the plan, so the mark never reaches
 * the target, and what the move leaves of the staging database (this table and the plan) is where
 * a resume reads that the move finished.
 */
final class MySqlRunMark {

    static final String TABLE = "ferry_run_mark";
    private static final String COMMENT = "ferry run mark";

    private MySqlRunMark() {
    }

    /** The mark in {@code database}, or null when it holds none (a table of that name that is not Ferry's is none). */
    static String read(Connection connection, String database) throws SQLException {
        if (!COMMENT.equals(tableComment(connection, database))) {
            return null;
        }
        List<String[]> rows = MySqlQueries.rows(connection, "SELECT mark FROM " + MySqlIdentifiers.qualified(database, TABLE)
                + " WHERE id = 1");
        return rows.isEmpty() ? null : rows.get(0)[0];
    }

    static void write(Connection connection, String database, String mark) throws SQLException {
        String table = MySqlIdentifiers.qualified(database, TABLE);
        String comment = tableComment(connection, database);
        if (comment == null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (id TINYINT NOT NULL PRIMARY KEY,"
                        + " mark VARCHAR(512) NOT NULL, marked_at DATETIME(3) NOT NULL)"
                        + " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT = '" + COMMENT + "'");
            }
        } else if (!COMMENT.equals(comment)) {
            throw new SQLException("The database " + database + " holds a table " + TABLE + " that is not Ferry's run mark"
                    + " (the dump brought a table of that name, which Ferry's staged import needs: rename it in the source)");
        }
        try (PreparedStatement replace = connection.prepareStatement("REPLACE INTO " + table
                + " (id, mark, marked_at) VALUES (1, ?, NOW(3))")) {
            replace.setString(1, mark);
            replace.executeUpdate();
        }
    }

    /** The comment of the table {@value #TABLE} in {@code database}, or null when there is no such table. */
    private static String tableComment(Connection connection, String database) throws SQLException {
        List<String[]> rows = MySqlQueries.rows(connection, "SELECT table_comment FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name = ?", database, TABLE);
        return rows.isEmpty() ? null : rows.get(0)[0];
    }
}
