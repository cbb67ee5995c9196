package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcDeadline;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.TlsFailures;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * JDBC connections to the database a {@link DatabaseEndpoint} names, through the MariaDB driver for
 * both flavours. The database is selected after the login ({@code USE}), so any name works and a
 * wrong password is told apart from a missing database.
 */
public final class MySqlConnections {

    private MySqlConnections() {
    }

    /** A connection with the endpoint's database selected, for statements (see {@link JdbcUse}). */
    public static Connection open(DatabaseEndpoint endpoint, String step) {
        return open(endpoint, step, JdbcUse.STATEMENT);
    }

    /** A connection with the endpoint's database selected, whose reads wait as long as {@code use} allows. */
    public static Connection open(DatabaseEndpoint endpoint, String step, JdbcUse use) {
        return use(openServer(endpoint, step, use), endpoint, step);
    }

    private static Connection use(Connection connection, DatabaseEndpoint endpoint, String step) {
        try {
            connection.setCatalog(endpoint.database());
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            if (e.getErrorCode() == MySqlFailures.UNKNOWN_DATABASE) {
                throw new FerryException(ErrorCode.CONNECTION, step, "No database " + endpoint.describe(), e.getMessage(),
                        "Check the database name, or create the database first", e);
            }
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not use the database " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may use this database");
        }
    }

    /**
     * A connection with the endpoint's database selected that also runs several statements in one
     * {@code execute} (for scripts such as sample data; never for user input).
     */
    public static Connection openForScripts(DatabaseEndpoint endpoint, String step) {
        Properties properties = properties(endpoint, JdbcUse.STATEMENT, step);
        properties.setProperty("allowMultiQueries", "true");
        Connection connection;
        try {
            connection = DriverManager.getConnection(jdbcUrl(endpoint), properties);
        } catch (SQLException e) {
            throw connectFailure(endpoint, JdbcUse.STATEMENT, e, step);
        }
        return use(connection, endpoint, step);
    }

    /** A connection to the server with no database selected (to create or drop one), for statements. */
    public static Connection openServer(DatabaseEndpoint endpoint, String step) {
        return openServer(endpoint, step, JdbcUse.STATEMENT);
    }

    /** A connection to the server with no database selected, whose reads wait as long as {@code use} allows. */
    public static Connection openServer(DatabaseEndpoint endpoint, String step, JdbcUse use) {
        try {
            return DriverManager.getConnection(jdbcUrl(endpoint), properties(endpoint, use, step));
        } catch (SQLException e) {
            throw connectFailure(endpoint, use, e, step);
        }
    }

    static String jdbcUrl(DatabaseEndpoint endpoint) {
        return "jdbc:mariadb://" + endpoint.urlHost() + ":" + endpoint.port() + "/";
    }

    static Properties properties(DatabaseEndpoint endpoint, JdbcUse use, String step) {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        if (endpoint.password() != null) {
            properties.setProperty("password", endpoint.password().reveal());
        }
        properties.setProperty("connectTimeout", Long.toString(endpoint.jdbc().connect(use).toMillis()));
        properties.setProperty("socketTimeout", Long.toString(endpoint.jdbc().of(use).toMillis()));
        properties.setProperty("connectionAttributes", "program_name:ferry");
        MySqlTls tls = MySqlTls.of(endpoint, step);
        if (tls.mode() != null) {
            // the driver spells the modes as Ferry does
            properties.setProperty("sslMode", tls.mode());
        }
        if (tls.ca() != null) {
            properties.setProperty("serverSslCert", tls.ca());
        }
        return properties;
    }

    private static FerryException connectFailure(DatabaseEndpoint endpoint, JdbcUse use, SQLException e, String step) {
        ErrorCode code = MySqlFailures.codeOf(e, ErrorCode.CONNECTION);
        if (code == ErrorCode.CREDENTIALS) {
            return new FerryException(code, step, "The server refused the login " + endpoint.describe(), e.getMessage(),
                    "Check the user name and password given for this database, and the hosts the account may connect from", e);
        }
        if (TlsFailures.isTlsFailure(e)) {
            MySqlTls tls = MySqlTls.of(endpoint, step);
            return TlsFailures.explain(endpoint, "sslMode " + tls.mode(), "sslCa", tls.ca() == null ? null : "sslCa " + tls.ca(),
                    "verify-full".equals(tls.mode()), e, step);
        }
        if (JdbcDeadline.isTimeout(e)) {
            return JdbcDeadline.connectTimedOut(endpoint, use, "MySQL/MariaDB", e, step);
        }
        return new FerryException(ErrorCode.CONNECTION, step, "Could not connect to MySQL/MariaDB " + endpoint.describe(),
                e.getMessage(), "Check host and port, that the server accepts TCP connections from this machine "
                + "(bind-address, firewalls) and the TLS settings (sslMode, sslCa)", e);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is useless anyway
        }
    }
}
