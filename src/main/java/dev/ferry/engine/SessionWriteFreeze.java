package dev.ferry.engine;

import java.sql.Connection;
import java.sql.SQLException;

/** A {@link WriteFreeze} held by one open database session; closing the session lifts it in any case. */
public final class SessionWriteFreeze implements WriteFreeze {

    /** What lifts the freeze on the session before it closes (a rollback, UNLOCK TABLES). */
    public interface Lift {
        void on(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final String description;
    private final Lift lift;

    public SessionWriteFreeze(Connection connection, String description, Lift lift) {
        this.connection = connection;
        this.description = description;
        this.lift = lift;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        close(connection, lift);
    }

    /** Lifts and closes; for a session whose freeze failed half-way, too. */
    public static void close(Connection connection, Lift lift) {
        try {
            if (!connection.isClosed()) {
                lift.on(connection);
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing the session releases the hold whatever the lift said
            try {
                connection.close();
            } catch (SQLException alsoIgnored) {
                // the session is gone
            }
        }
    }
}
