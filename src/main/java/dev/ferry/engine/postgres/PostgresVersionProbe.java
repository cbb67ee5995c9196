package dev.ferry.engine.postgres;

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

/** Asks a server, or the local pg_dump, which version it is. */
final class PostgresVersionProbe {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private final PostgresPrograms programs;

    PostgresVersionProbe(PostgresPrograms programs) {
        this.programs = programs;
    }

    ServerVersion server(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.PROBE);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return PostgresVersions.fromVersionNumber(Integer.parseInt(result.getString(1).strip()));
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the server version of "
                    + endpoint.describe(), "Check that the server is PostgreSQL and that it is up");
        }
    }

    /** The version of the server a database (which may not exist yet) lives on, through the maintenance database. */
    ServerVersion serverOf(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step, JdbcUse.PROBE);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW server_version_num")) {
            result.next();
            return PostgresVersions.fromVersionNumber(Integer.parseInt(result.getString(1).strip()));
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the server version of "
                    + endpoint.describe(), "Check that the server is PostgreSQL and that it is up");
        }
    }

    ServerVersion dumpTool(String step) {
        ChildCommand command = ChildCommand.of(programs.pgDump(), "--version").build();
        return PostgresVersions.fromToolOutput(ChildProcess.run(command, step, TOOL_TIMEOUT), command.program(), step);
    }
}
