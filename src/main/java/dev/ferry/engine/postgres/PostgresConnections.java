package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcDeadline;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.TlsFailures;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** JDBC connections to the database a {@link DatabaseEndpoint} names. */
public final class PostgresConnections {

    /** The TLS settings an endpoint may carry; libpq and the JDBC driver spell them the same. */
    static final Set<String> TLS_KEYS = Set.of("sslmode", "sslrootcert");
    private PostgresConnections() {
    }

    /** A connection for statements (see {@link JdbcUse}). */
    public static Connection open(DatabaseEndpoint endpoint, String step) {
        return open(endpoint, step, JdbcUse.STATEMENT);
    }

    /** A connection whose reads wait as long as {@code use} allows. */
    public static Connection open(DatabaseEndpoint endpoint, String step, JdbcUse use) {
        try {
            return DriverManager.getConnection(jdbcUrl(endpoint), properties(endpoint, use, step));
        } catch (SQLException e) {
            throw connectFailure(endpoint, use, e, step);
        }
    }

    /**
     * A connection to the server of {@code endpoint} through the maintenance database (to look up,
     * create, drop or rename {@code endpoint}'s own); a failure names {@code endpoint}, the database
     * the user asked for, not the maintenance one.
     */
    public static Connection openServerOf(DatabaseEndpoint endpoint, String step) {
        return openServerOf(endpoint, step, JdbcUse.STATEMENT);
    }

    /** As {@link #openServerOf(DatabaseEndpoint, String)}, with reads waiting as long as {@code use} allows. */
    public static Connection openServerOf(DatabaseEndpoint endpoint, String step, JdbcUse use) {
        DatabaseEndpoint maintenance = endpoint.withDatabase(PostgresRestoreCommands.GLOBALS_DATABASE);
        try {
            return DriverManager.getConnection(jdbcUrl(maintenance), properties(maintenance, use, step));
        } catch (SQLException e) {
            FerryException failure = connectFailure(endpoint, use, e, step);
            if (failure.code() == ErrorCode.CREDENTIALS || !"3D000".equals(e.getSQLState())) {
                return rethrow(failure);
            }
            throw new FerryException(ErrorCode.CONNECTION, step, "The server of " + endpoint.describe()
                    + " has no maintenance database '" + maintenance.database() + "'", e.getMessage(),
                    "Create the database " + endpoint.database() + " by hand", e);
        }
    }

    private static Connection rethrow(FerryException failure) {
        throw failure;
    }

    static String jdbcUrl(DatabaseEndpoint endpoint) {
        // the driver URL-decodes the database name, so any name survives the round trip
        return "jdbc:postgresql://" + endpoint.urlHost() + ":" + endpoint.port() + "/"
                + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8);
    }

    static Properties properties(DatabaseEndpoint endpoint, JdbcUse use, String step) {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        if (endpoint.password() != null) {
            properties.setProperty("password", endpoint.password().reveal());
        }
        String connect = Long.toString(endpoint.jdbc().connect(use).toSeconds());
        properties.setProperty("connectTimeout", connect);
        properties.setProperty("loginTimeout", connect);
        properties.setProperty("socketTimeout", Long.toString(endpoint.jdbc().of(use).toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "ferry");
        properties.putAll(tlsSettings(endpoint, step));
        return properties;
    }

    /** The endpoint's TLS settings, refusing names we do not know rather than silently dropping them. */
    static Map<String, String> tlsSettings(DatabaseEndpoint endpoint, String step) {
        for (String key : endpoint.tls().keySet()) {
            if (!TLS_KEYS.contains(key)) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown PostgreSQL TLS setting '" + key + "'",
                        "for " + endpoint.describe(), "Use only " + String.join(", ", TLS_KEYS.stream().sorted().toList()));
            }
        }
        return endpoint.tls();
    }

    private static FerryException connectFailure(DatabaseEndpoint endpoint, JdbcUse use, SQLException e, String step) {
        ErrorCode code = PostgresFailures.codeOf(e, ErrorCode.CONNECTION);
        if (code == ErrorCode.CREDENTIALS) {
            return new FerryException(code, step, "PostgreSQL refused the login " + endpoint.describe(), e.getMessage(),
                    "Check the user name and password given for this database, and the server's pg_hba.conf rules", e);
        }
        if (TlsFailures.isTlsFailure(e)) {
            String mode = endpoint.tls().getOrDefault("sslmode", "prefer");
            String root = endpoint.tls().get("sslrootcert");
            return TlsFailures.explain(endpoint, "sslmode " + mode, "sslrootcert", root == null ? null : "sslrootcert " + root,
                    mode.equals("verify-full"), e, step);
        }
        if ("3D000".equals(e.getSQLState())) {
            return new FerryException(ErrorCode.CONNECTION, step, "No database " + endpoint.describe(), e.getMessage(),
                    "Check the database name, or create the database first", e);
        }
        if (JdbcDeadline.isTimeout(e)) {
            return JdbcDeadline.connectTimedOut(endpoint, use, "PostgreSQL", e, step);
        }
        return new FerryException(ErrorCode.CONNECTION, step, "Could not connect to PostgreSQL " + endpoint.describe(),
                e.getMessage(), "Check host and port, that the server accepts TCP connections from this machine "
                + "(listen_addresses, pg_hba.conf, firewalls) and the TLS settings (sslmode, sslrootcert)", e);
    }
}
