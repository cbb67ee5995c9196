package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.FirstValue;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.JdbcUse;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.SnapshotDump;
import dev.ferry.engine.WriteFreeze;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL: logical dumps with pg_dump's custom format, restored with pg_restore. The client
 * programs come from {@code -Dferry.pgbin} (a folder) or the PATH.
 */
public final class PostgresEngine implements Engine {

    private static final Set<String> NAMES = Set.of("postgresql", "postgres", "pg");

    private final PostgresVersionProbe versions;
    private final PostgresDumpCommands dumps;
    private final PostgresRestoreCommands restores;
    private final PostgresEmptyCheck emptyCheck = new PostgresEmptyCheck();
    private final PostgresFigureReader figureReader = new PostgresFigureReader();

    public PostgresEngine() {
        this(PostgresPrograms.fromSystemProperty());
    }

    /** @param clientPrograms the folder holding pg_dump, pg_dumpall, pg_restore and psql */
    public PostgresEngine(Path clientPrograms) {
        this(new PostgresPrograms(clientPrograms));
    }

    private PostgresEngine(PostgresPrograms programs) {
        this.versions = new PostgresVersionProbe(programs);
        this.dumps = new PostgresDumpCommands(programs);
        this.restores = new PostgresRestoreCommands(programs);
    }

    @Override
    public java.util.Optional<dev.ferry.engine.PhysicalServer> physicalServer() {
        return java.util.Optional.of(PostgresServerAdmin.INSTANCE);
    }

    @Override
    public java.util.List<dev.ferry.spec.Setting> settings() {
        return java.util.List.of(
                dev.ferry.spec.Setting.choice("<side>.sslmode", null, "TLS to the server (JDBC probes and the PostgreSQL tools alike)",
                        "disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
                dev.ferry.spec.Setting.text("<side>.sslrootcert", null, "a PEM file with the CA that signed the server's certificate"));
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean handles(String engineName) {
        return engineName != null && NAMES.contains(engineName.toLowerCase(Locale.ROOT));
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public ServerVersion probeServer(DatabaseEndpoint endpoint, String step) {
        return versions.server(endpoint, step);
    }

    @Override
    public ServerVersion dumpToolVersion(ServerVersion source, String step) {
        return versions.dumpTool(step);
    }

    @Override
    public boolean isEmpty(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.PROBE)) {
            return emptyCheck.isEmpty(connection);
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not list the objects in "
                    + endpoint.describe(), "Check that the user may read the catalog of this database");
        }
    }

    @Override
    public boolean databaseExists(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step, JdbcUse.PROBE);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, endpoint.database());
            try (ResultSet result = exists.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not look up the database " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may read pg_database");
        }
    }

    @Override
    public ServerVersion probeTargetServer(DatabaseEndpoint endpoint, String step) {
        return databaseExists(endpoint, step) ? versions.server(endpoint, step) : versions.serverOf(endpoint, step);
    }

    @Override
    public boolean stagesImports() {
        return true;
    }

    /** In place a parallel pg_restore needs a seekable file; into a staging database workers build post-data beside the load. */
    @Override
    public String parallelRestorePlan(int jobs, boolean clean) {
        return clean ? "spools the dump to local disk: pg_restore -j " + jobs + " needs a seekable file"
                : "streams into a staging database; " + jobs + " workers build indexes and constraints while later tables load";
    }

    @Override
    public void dropDatabase(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + PostgresIdentifiers.quote(endpoint.database()) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not drop the database " + endpoint.describe(),
                    "Drop it by hand (DROP DATABASE ... WITH (FORCE)) and run again");
        }
    }

    @Override
    public void promote(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        if (databaseExists(target, step) && !isEmpty(target, step)) {
            // a resume finishing an earlier attempt's promotion must not drop a database someone filled since
            throw new FerryException(ErrorCode.TARGET_NOT_EMPTY, step, "Target database " + target.describe()
                    + " is not empty: the staging database " + staging.database() + " cannot replace it",
                    "it holds tables, views, sequences or functions", "Drop them, or point the migration at an empty database,"
                    + " and resume the run");
        }
        new PostgresStagedImport(staging, target, step).promote();
    }

    @Override
    public String importMark(DatabaseEndpoint endpoint, String step) {
        return PostgresStagedImport.comment(endpoint, step);
    }

    @Override
    public void markImport(DatabaseEndpoint endpoint, String mark, String step) {
        PostgresStagedImport.comment(endpoint, mark, step);
    }

    @Override
    public void ensureDatabase(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, endpoint.database());
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + PostgresIdentifiers.quote(endpoint.database()));
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not create the database " + endpoint.describe(),
                    "Create it by hand, or give " + endpoint.user() + " the CREATEDB privilege");
        }
    }

    @Override
    public WriteFreeze freezeWrites(DatabaseEndpoint endpoint, String step) {
        return PostgresWriteFreeze.freeze(endpoint, step);
    }

    @Override
    public String freezeWritesDurably(DatabaseEndpoint endpoint, String step) {
        return PostgresWriteFreeze.freezeDurably(endpoint, step);
    }

    @Override
    public String releaseWrites(DatabaseEndpoint endpoint, String step) {
        return PostgresWriteFreeze.release(endpoint, step);
    }

    @Override
    public boolean writesFrozen(DatabaseEndpoint endpoint, String step) {
        return PostgresWriteFreeze.isFrozen(endpoint, step);
    }

    @Override
    public long databaseSize(DatabaseEndpoint endpoint, String step) {
        return PostgresWriteFreeze.size(endpoint, step);
    }

    @Override
    public void recreateDatabase(DatabaseEndpoint endpoint, String step) {
        String name = PostgresIdentifiers.quote(endpoint.database());
        try (Connection connection = PostgresConnections.openServerOf(endpoint, step);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not recreate the database " + endpoint.describe(),
                    "Drop and create it by hand before running the import again");
        }
    }

    @Override
    public List<DumpPart> dumpParts(DatabaseEndpoint source, DumpOptions options) {
        return dumps.parts(source, options, null);
    }

    @Override
    public java.util.Optional<dev.ferry.engine.ChangeCapture> changeCapture() {
        return java.util.Optional.of(new PostgresChangeCapture());
    }

    @Override
    public SnapshotDump snapshotDump(DatabaseEndpoint source, DumpOptions options, FigureRequest figures, String step) {
        return PostgresSnapshotDump.open(source, options.snapshot(), snapshot -> dumps.parts(source, options, snapshot), figures, figureReader, step);
    }

    @Override
    public RestorePart restorePart(String format, DatabaseEndpoint target, RestoreOptions options) {
        return restores.part(format, target, options);
    }

    @Override
    public dev.ferry.engine.SqlScriptCut oneDatabaseOf(java.io.InputStream allDatabases, String database) {
        return new PgDumpallCut(allDatabases, database);
    }

    @Override
    public RestorePart sqlScript(DatabaseEndpoint target) {
        return restores.script(target);
    }

    @Override
    public Inventory inventory(DatabaseEndpoint endpoint, FigureRequest request, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.LONG_QUERY)) {
            PostgresFigureReader.prepare(connection);
            PostgresSnapshots.begin(connection);
            try {
                String snapshot = request.jobs() > 1 ? PostgresSnapshots.export(connection) : null;
                int major = connection.getMetaData().getDatabaseMajorVersion();
                return figureReader.read(connection, figureReader.counters(connection), request, major,
                        () -> PostgresSnapshots.openIn(endpoint, snapshot, step));
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the figures of "
                    + endpoint.describe(), "Check that the user may read every table (and large object) of this database,"
                    + " and the migration's check queries");
        }
    }

    @Override
    public String queryValue(DatabaseEndpoint endpoint, String sql, String step) {
        try (Connection connection = PostgresConnections.open(endpoint, step, JdbcUse.LONG_QUERY)) {
            return inReadOnlySnapshot(connection, () -> FirstValue.of(connection, sql));
        } catch (SQLException e) {
            throw PostgresFailures.of(e, ErrorCode.BAD_INPUT, step, "The check query failed on " + endpoint.describe(),
                    "Fix the query; checks run read-only and must return one value");
        }
    }

    /** Runs reads in one read-only snapshot and rolls back: a check must not change the database. */
    private static <T> T inReadOnlySnapshot(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            return work.run();
        } finally {
            connection.rollback();
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }
}
