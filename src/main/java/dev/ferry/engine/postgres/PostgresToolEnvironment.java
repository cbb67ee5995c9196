package dev.ferry.engine.postgres;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.process.ChildCommand;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The libpq environment that points a client program at an endpoint. The password travels here
 * (PGPASSWORD, readable only by the child's own user) and never on the command line.
 */
final class PostgresToolEnvironment {

    private PostgresToolEnvironment() {
    }

    static Map<String, String> of(DatabaseEndpoint endpoint) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PGHOST", endpoint.host());
        variables.put("PGPORT", Integer.toString(endpoint.port()));
        variables.put("PGUSER", endpoint.user());
        variables.put("PGDATABASE", endpoint.database());
        variables.put("PGAPPNAME", "ferry");
        if (endpoint.password() != null) {
            variables.put("PGPASSWORD", endpoint.password().reveal());
        }
        PostgresConnections.tlsSettings(endpoint, null)
                .forEach((key, value) -> variables.put("PG" + key.toUpperCase(Locale.ROOT), value));
        return variables;
    }

    /**
     * A connection string naming only the database, for a program's {@code --dbname}: libpq reads a
     * bare name containing '=' as a connection string, so the name is always quoted as one.
     */
    static String databaseOnly(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static ChildCommand.Builder applyTo(ChildCommand.Builder command, DatabaseEndpoint endpoint) {
        of(endpoint).forEach(command::env);
        return command;
    }
}
