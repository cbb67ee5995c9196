package dev.ferry.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a JDBC read waits for the server, by {@link JdbcUse}: probe 30 s, statement 30 min, long
 * query 6 h, unless the side's {@code <side>.jdbc.probeTimeoutSeconds},
 * {@code <side>.jdbc.statementTimeoutSeconds} or {@code <side>.jdbc.longQueryTimeoutSeconds} say
 * otherwise. Connecting and logging in wait 15 s at most, and no longer than the read deadline.
 */
public record JdbcTimeouts(Duration probe, Duration statement, Duration longQuery) {

    public static final JdbcTimeouts DEFAULT = new JdbcTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofHours(6));
    private static final Duration CONNECT = Duration.ofSeconds(15);

    public JdbcTimeouts {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(longQuery, "longQuery");
    }

    /** How long a read of a connection opened for {@code use} waits. */
    public Duration of(JdbcUse use) {
        return switch (use) {
            case PROBE -> probe;
            case STATEMENT -> statement;
            case LONG_QUERY -> longQuery;
        };
    }

    /** How long connecting and the login wait for a connection opened for {@code use}. */
    public Duration connect(JdbcUse use) {
        Duration read = of(use);
        return read.compareTo(CONNECT) < 0 ? read : CONNECT;
    }

    /** The setting that sets the deadline of {@code use}, for messages. */
    public static String setting(JdbcUse use) {
        return switch (use) {
            case PROBE -> "jdbc.probeTimeoutSeconds";
            case STATEMENT -> "jdbc.statementTimeoutSeconds";
            case LONG_QUERY -> "jdbc.longQueryTimeoutSeconds";
        };
    }

    /** For a message: "probe 30 s" and so on. */
    public String describe(JdbcUse use) {
        return use.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " deadline " + of(use).toSeconds() + " s";
    }
}
