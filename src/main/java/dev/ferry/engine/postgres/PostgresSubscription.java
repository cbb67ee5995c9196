package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The target side of a change stream: a native subscription on the slot the run created
 * ({@code create_slot = false, copy_data = false}), whose apply worker connects to the source with
 * the source's credentials. PostgreSQL keeps that connection string, password included, in the
 * target's catalog ({@code pg_subscription.subconninfo}, readable by superusers only) until the
 * subscription is dropped; the statement that carries it is kept out of the target's server log
 * where the user may do so, and out of every message Ferry shows.
 */
final class PostgresSubscription {

    private static final String FIND = "SELECT d.datname FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid"
            + " WHERE s.subname = ?";
    private static final String[] QUIET_LOG = {"SET log_statement = 'none'", "SET log_min_error_statement = 'panic'",
            "SET log_min_duration_statement = -1"};

    private PostgresSubscription() {
    }

    static void follow(DatabaseEndpoint source, DatabaseEndpoint target, ChangeStream stream, boolean synchronousApply, String step) {
        String password = source.password() == null ? null : source.password().reveal();
        try (Connection connection = PostgresConnections.open(target, step); Statement statement = connection.createStatement()) {
            String quoted = PostgresIdentifiers.quote(stream.subscription());
            if (database(target, stream, step).isPresent()) {
                statement.execute("ALTER SUBSCRIPTION " + quoted + " ENABLE");
                return;
            }
            for (String quiet : QUIET_LOG) {
                try {
                    statement.execute(quiet);
                } catch (SQLException notAllowed) {
                    // only a superuser may; the statement is then logged as the server's settings say
                }
            }
            // synchronous_commit on: the apply worker confirms a change as soon as it is applied and flushed, not after the
            // target's WAL writer got to it (up to 200 ms later, then a feedback round): in the tests the drain, inside the
            // write downtime, took 0.5-0.6 s with off and 0.03-0.4 s with on; the price is a flush per applied transaction
            statement.execute("CREATE SUBSCRIPTION " + quoted + " CONNECTION " + literal(conninfo(source))
                    + " PUBLICATION " + PostgresIdentifiers.quote(stream.publication()) + " WITH (create_slot = false, slot_name = "
                    + literal(stream.slot()) + ", copy_data = false, enabled = true, synchronous_commit = "
                    + (synchronousApply ? "'on'" : "'off'") + ")");
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "********");
            }
            // no cause: the driver's exception may quote the connection string
            throw new FerryException(PostgresFailures.codeOf(e, ErrorCode.CHANGE_CAPTURE), step,
                    "Could not subscribe " + target.describe() + " to the slot " + stream.slot() + " on " + source.describe(), message,
                    "The target server itself connects to the source (host " + source.host() + ", port " + source.port()
                            + "): check that it can reach it and that the source's pg_hba.conf lets it in; the target user must"
                            + " be a superuser (PostgreSQL 16 and later: a member of pg_create_subscription)");
        }
    }

    /** The database on the target's server that holds the subscription, if there is one. */
    static Optional<String> database(DatabaseEndpoint target, ChangeStream stream, String step) {
        try (Connection connection = PostgresConnections.openServerOf(target, step);
             PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setString(1, stream.subscription());
            try (ResultSet result = find.executeQuery()) {
                return result.next() ? Optional.of(result.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not look for the subscription " + stream.subscription()
                    + " on the server of " + target.describe(), "Check the connection to the target");
        }
    }

    /** Drops the subscription wherever on the target's server it is, without touching the source's slot. */
    static String drop(DatabaseEndpoint target, ChangeStream stream, String step) {
        Optional<String> database = database(target, stream, step);
        if (database.isEmpty()) {
            return "no subscription " + stream.subscription() + " on the target";
        }
        String quoted = PostgresIdentifiers.quote(stream.subscription());
        try (Connection connection = PostgresConnections.open(target.withDatabase(database.get()), step);
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER SUBSCRIPTION " + quoted + " DISABLE");
            // the slot is dropped on the source by Ferry, which also works when the target cannot reach the source
            statement.execute("ALTER SUBSCRIPTION " + quoted + " SET (slot_name = NONE)");
            statement.execute("DROP SUBSCRIPTION " + quoted);
            return "subscription " + stream.subscription() + " dropped from " + target.withDatabase(database.get()).describe();
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CHANGE_CAPTURE, step, "Could not drop the subscription " + stream.subscription()
                            + " from " + target.withDatabase(database.get()).describe(),
                    "Drop it by hand: ALTER SUBSCRIPTION " + quoted + " DISABLE; ALTER SUBSCRIPTION " + quoted
                            + " SET (slot_name = NONE); DROP SUBSCRIPTION " + quoted);
        }
    }

    /** A libpq connection string to the source, as the target's apply worker uses it. */
    private static String conninfo(DatabaseEndpoint source) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("host", source.host());
        keys.put("port", Integer.toString(source.port()));
        keys.put("dbname", source.database());
        keys.put("user", source.user());
        if (source.password() != null) {
            keys.put("password", source.password().reveal());
        }
        String mode = source.tls().get("sslmode");
        if (mode != null) {
            keys.put("sslmode", mode);
        }
        StringBuilder text = new StringBuilder();
        keys.forEach((key, value) -> text.append(text.length() == 0 ? "" : " ").append(key).append("='")
                .append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\''));
        return text.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
