package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.ServerVersion;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Asks a server, or a local tool, which version and flavour it is. */
final class MySqlVersionProbe {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, ServerVersion> tools = new ConcurrentHashMap<>();

    ServerVersion server(DatabaseEndpoint endpoint, String step) {
        return server(endpoint, true, step);
    }

    /** @param useDatabase also prove the database exists and may be used; false to learn only the flavour */
    ServerVersion server(DatabaseEndpoint endpoint, boolean useDatabase, String step) {
        try (Connection connection = useDatabase ? MySqlConnections.open(endpoint, step, JdbcUse.PROBE)
                : MySqlConnections.openServer(endpoint, step, JdbcUse.PROBE);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT VERSION(), @@version_comment")) {
            result.next();
            return MySqlVersions.fromServer(result.getString(1), result.getString(2));
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the server version of "
                    + endpoint.describe(), "Check that the server is MySQL or MariaDB and that it is up");
        }
    }

    /** The version of a local program, asked once per program. */
    ServerVersion tool(String program, String step) {
        ServerVersion known = tools.get(program);
        if (known != null) {
            return known;
        }
        ChildCommand command = ChildCommand.of(program, "--version").build();
        ServerVersion version = MySqlVersions.fromToolOutput(ChildProcess.run(command, step, TOOL_TIMEOUT),
                command.program(), step);
        tools.put(program, version);
        return version;
    }
}
