package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.ServerVersion;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a physical migration asks of a PostgreSQL server beyond the logical engine: its settings
 * (data directory, socket, archiving), its system identifier, whether it is still recovering, and
 * {@code ALTER SYSTEM} for the archive settings. All SQL stays in this package.
 */
public final class PostgresServerAdmin implements dev.ferry.engine.PhysicalServer {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    static final PostgresServerAdmin INSTANCE = new PostgresServerAdmin();

    private PostgresServerAdmin() {
    }

    /** The current values of the named settings ({@code pg_settings}); a name the server does not know is absent. */
    @Override
    public Map<String, String> settings(DatabaseEndpoint endpoint, List<String> names, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.PROBE);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT name, setting FROM pg_settings WHERE name = ANY (?) ORDER BY name")) {
            Array array = connection.createArrayOf("text", names.toArray());
            statement.setArray(1, array);
            Map<String, String> values = new LinkedHashMap<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.put(result.getString(1), result.getString(2));
                }
            }
            return values;
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the settings of " + endpoint.describe(),
                    "A physical backup needs a superuser (or a member of pg_read_all_settings) on the source");
        }
    }

    /** The cluster's system identifier ({@code pg_control_system()}), the same one pgBackRest records. */
    @Override
    public String systemIdentifier(DatabaseEndpoint endpoint, String step) {
        return single(endpoint, "SELECT system_identifier::text FROM pg_control_system()", step);
    }

    /** Whether the server is still replaying WAL (a restored server before its promotion). */
    @Override
    public boolean inRecovery(DatabaseEndpoint endpoint, String step) {
        return "t".equals(single(endpoint, "SELECT pg_is_in_recovery()", step));
    }

    /** {@code ALTER SYSTEM SET name = 'value'} for each entry, then {@code pg_reload_conf()}. */
    @Override
    public void alterSystemAndReload(DatabaseEndpoint endpoint, Map<String, String> values, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.PROBE);
             Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> entry : values.entrySet()) {
                statement.execute("ALTER SYSTEM SET " + PostgresIdentifiers.quote(entry.getKey()) + " = '"
                        + entry.getValue().replace("'", "''") + "'");
            }
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.ARCHIVING, step, "Could not change the archive settings of " + endpoint.describe(),
                    "ALTER SYSTEM needs a superuser; or set them in postgresql.conf yourself");
        }
    }

    /** The version of a server program such as {@code <bin>/postgres} ({@code --version}, allowed as any user). */
    @Override
    public ServerVersion programVersion(Path program, String step) {
        ChildCommand command = ChildCommand.of(program.toString(), "--version").build();
        return PostgresVersions.fromToolOutput(ChildProcess.run(command, step, TOOL_TIMEOUT), command.program(), step);
    }

    /** A major version as a {@link ServerVersion}, from text such as {@code 14.9} or {@code 16}. */
    @Override
    public ServerVersion parseVersion(String text) {
        String[] parts = text.trim().split("\\.");
        int first = Integer.parseInt(parts[0].replaceAll("\\D.*", ""));
        int major = first >= 10 || parts.length < 2 ? first : first * 100 + Integer.parseInt(parts[1].replaceAll("\\D.*", ""));
        return new ServerVersion(PostgresVersions.FLAVOUR, major, text.trim());
    }

    private static String single(DatabaseEndpoint endpoint, String sql, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.PROBE);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Query failed on " + endpoint.describe(),
                    "Check that the server is up and the user may run " + sql);
        }
    }
}
