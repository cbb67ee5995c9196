package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.mysql.MySqlConnections;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The sample shop of {@link SampleData} for MySQL and MariaDB, generated on the server: utf8mb4 text
 * with accents and emoji, a BLOB with arbitrary bytes (0x00 included), JSON, DECIMAL, DATETIME and
 * TIMESTAMP, NULLs, AUTO_INCREMENT, foreign keys, a utf8mb4_bin table and a column of another
 * collation, a view, a trigger, a function, a procedure and a disabled event; on MariaDB also a
 * sequence. Per unit of {@code scale}: 20 products, 200 customers, 1000 orders (and 1000 audit rows
 * their trigger writes), 3000 order items.
 */
public final class MySqlSampleData {

    public static final int MAX_SCALE = 1000;
    private static final String SCRIPT = "mysql-sample-data.sql";
    private static final String STEP = "sample-data";

    private MySqlSampleData() {
    }

    public static void load(LocalMariaDb server, String database, int scale) {
        load(server.endpoint(database), scale);
    }

    /** Creates the shop's objects in {@code endpoint}'s database, which must not have them yet. */
    public static void load(DatabaseEndpoint endpoint, int scale) {
        if (scale < 1 || scale > MAX_SCALE) {
            throw new FerryException(ErrorCode.BAD_INPUT, STEP, "Sample data scale " + scale + " is out of range",
                    null, "Use a scale from 1 to " + MAX_SCALE);
        }
        try (Connection connection = MySqlConnections.openForScripts(endpoint, STEP)) {
            try (PreparedStatement setScale = connection.prepareStatement("SET @ferry_scale = ?")) {
                setScale.setInt(1, scale);
                setScale.execute();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(script());
                if (isMariaDb(statement)) {
                    statement.execute("CREATE SEQUENCE invoice_number START WITH 5000");
                    statement.execute("SELECT NEXTVAL(invoice_number)");
                }
            }
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not load sample data into " + endpoint.describe(),
                    e.getMessage(), "Load it into an empty database", e);
        }
    }

    private static boolean isMariaDb(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT VERSION()")) {
            result.next();
            return result.getString(1).contains("MariaDB");
        }
    }

    private static String script() {
        try (InputStream in = MySqlSampleData.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
