package dev.ferry.engine;

import dev.ferry.credentials.Secret;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach one database with collected credentials. {@code tls} holds engine-specific TLS
 * settings (for PostgreSQL {@code sslmode}, {@code sslrootcert}); {@code password} may be null when
 * the server trusts the connection; {@code jdbc} how long Ferry's own connections wait for it.
 */
public record DatabaseEndpoint(String engine, String host, int port, String database, String user,
                               Secret password, Map<String, String> tls, JdbcTimeouts jdbc) {

    public DatabaseEndpoint {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        tls = tls == null ? Map.of() : Map.copyOf(tls);
        jdbc = jdbc == null ? JdbcTimeouts.DEFAULT : jdbc;
    }

    /** With the default JDBC deadlines. */
    public DatabaseEndpoint(String engine, String host, int port, String database, String user, Secret password,
                            Map<String, String> tls) {
        this(engine, host, port, database, user, password, tls, JdbcTimeouts.DEFAULT);
    }

    public DatabaseEndpoint withDatabase(String otherDatabase) {
        return new DatabaseEndpoint(engine, host, port, otherDatabase, user, password, tls, jdbc);
    }

    public DatabaseEndpoint withJdbcTimeouts(JdbcTimeouts timeouts) {
        return new DatabaseEndpoint(engine, host, port, database, user, password, tls, timeouts);
    }

    /** The host as a URL writes it: an IPv6 address in brackets. */
    public String urlHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Safe to show: no password. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return engine + "://" + describe();
    }
}
