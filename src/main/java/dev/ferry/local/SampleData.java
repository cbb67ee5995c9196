package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.postgres.PostgresConnections;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small shop for demos and tests (customers, products, orders, order_items, a view, a plpgsql
 * function, an explicit sequence, identity and serial columns, foreign keys, indexes; non-ASCII
 * text, jsonb, bytea, timestamptz, numeric and some NULLs), generated on the server.
 * Each unit of {@code scale} adds {@value #ROWS_PER_SCALE} rows; {@link #DEMO_SCALE} makes about 100k.
 */
public final class SampleData {

    public static final int ROWS_PER_SCALE = 20 + 200 + 1000 + 3000;
    public static final int DEMO_SCALE = 25;
    private static final String SCRIPT = "sample-data.sql";
    private static final String STEP = "sample-data";

    private SampleData() {
    }

    public static void load(LocalPostgres server, String database, int scale) {
        load(server.endpoint(database), scale);
    }

    /** Creates the shop's objects in {@code endpoint}'s database, which must not have them yet. */
    public static void load(DatabaseEndpoint endpoint, int scale) {
        if (scale < 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, STEP, "Sample data scale " + scale + " is too small",
                    null, "Use a scale of 1 or more");
        }
        try (Connection connection = PostgresConnections.open(endpoint, STEP)) {
            connection.setAutoCommit(false);
            try (PreparedStatement setScale = connection.prepareStatement("SELECT set_config('ferry.scale', ?, true)")) {
                setScale.setString(1, Integer.toString(scale));
                setScale.execute();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(script());
            }
            connection.commit();
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not load sample data into " + endpoint.describe(),
                    e.getMessage(), "Load it into an empty database", e);
        }
    }

    public static long rowCount(int scale) {
        return (long) ROWS_PER_SCALE * scale;
    }

    private static String script() {
        try (InputStream in = SampleData.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
