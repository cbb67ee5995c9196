package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
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
import dev.ferry.process.ChildCommand;

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
 * MySQL and MariaDB (and MySQL's forks, Percona Server and XtraDB Cluster): logical dumps of one
 * database with mysqldump or mariadb-dump as plain SQL, restored with the command-line client.
 * The client programs come from {@code -Dferry.mysqlbin} (a folder) or the PATH; JDBC goes through
 * the MariaDB driver for both flavours.
 *
 * <p>Dump and restore commands carry the connection settings, password included, in a private
 * options file: call {@link #release(ChildCommand)} for every command of a {@link DumpPart} or
 * {@link RestorePart} once it has ended (or will not run). See {@link MySqlToolOptions}.
 *
 * <p>The flavour of a server is read from it: {@link #dumpParts(DatabaseEndpoint, DumpOptions)} and
 * {@link #restorePart(String, DatabaseEndpoint, RestoreOptions)} connect once to learn it (to pick
 * MariaDB's or MySQL's programs); the overloads taking a {@link ServerVersion} do not connect.
 */
public final class MySqlEngine implements Engine {

    private static final Set<String> NAMES = Set.of("mysql", "mariadb", "percona", "pxc");
    private static final String DEFAULT_CHARSET = "utf8mb4";

    private final MySqlPrograms programs;
    private final MySqlVersionProbe versions = new MySqlVersionProbe();
    private final MySqlDumpCommands dumps = new MySqlDumpCommands();
    private final MySqlRestoreCommands restores = new MySqlRestoreCommands();
    private final MySqlEmptyCheck emptyCheck = new MySqlEmptyCheck();
    private final MySqlFigureReader figureReader = new MySqlFigureReader();

    public MySqlEngine() {
        this(MySqlPrograms.fromSystemProperty());
    }

    /** @param clientPrograms the folder holding mysqldump/mariadb-dump and mysql/mariadb */
    public MySqlEngine(Path clientPrograms) {
        this(new MySqlPrograms(clientPrograms));
    }

    private MySqlEngine(MySqlPrograms programs) {
        this.programs = programs;
    }

    @Override
    public java.util.List<dev.ferry.spec.Setting> settings() {
        return java.util.List.of(
                dev.ferry.spec.Setting.text(MySqlTls.MODE_KEY_SETTING, null, "TLS to the server: " + String.join(", ", MySqlTls.MODES)),
                dev.ferry.spec.Setting.text(MySqlTls.CA_KEY_SETTING, null, "a PEM file with the CA that signed the server's certificate"));
    }

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean handles(String engineName) {
        return engineName != null && NAMES.contains(engineName.toLowerCase(Locale.ROOT));
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public ServerVersion probeServer(DatabaseEndpoint endpoint, String step) {
        return versions.server(endpoint, step);
    }

    /** mariadb-dump for a MariaDB source, mysqldump for MySQL (each falling back to the other when it is not installed). */
    @Override
    public ServerVersion dumpToolVersion(ServerVersion source, String step) {
        return versions.tool(programs.dump(source.flavour()), step);
    }

    /** No tables, views, sequences, routines, events or triggers in the database. */
    @Override
    public boolean isEmpty(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.open(endpoint, step, JdbcUse.PROBE)) {
            return emptyCheck.isEmpty(connection, endpoint.database());
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not list the objects in "
                    + endpoint.describe(), "Check that the user may read information_schema for this database");
        }
    }

    @Override
    public boolean databaseExists(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step, JdbcUse.PROBE);
             PreparedStatement exists = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
            exists.setString(1, endpoint.database());
            try (ResultSet result = exists.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not look up the database " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may read information_schema");
        }
    }

    @Override
    public ServerVersion probeTargetServer(DatabaseEndpoint endpoint, String step) {
        return versions.server(endpoint, databaseExists(endpoint, step), step);
    }

    /**
     * Into {@code <target>_ferry_<run id>}, moved into place at the end (see {@link MySqlStagedImport}),
     * on MySQL and MariaDB alike: the marks are a table ({@link MySqlRunMark}), not a database comment.
     */
    @Override
    public boolean stagesImports() {
        return true;
    }

    /** {@code import.jobs} sessions load a staged import's INSERTs from the stream ({@link MySqlInsertRouter}). */
    @Override
    public String parallelRestorePlan(int jobs, boolean clean) {
        return clean ? null : "loads the dump's INSERTs with " + jobs + " client sessions into the staging database, from the stream";
    }

    @Override
    public void dropDatabase(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + MySqlIdentifiers.quote(endpoint.database()));
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not drop the database " + endpoint.describe(),
                    "Drop it by hand (DROP DATABASE) and run again");
        }
    }

    /**
     * Moves the staging database's tables into the target in one {@code RENAME TABLE} and recreates
     * its routines, triggers, views and events there; finishes a move a crash interrupted.
     */
    @Override
    public void promote(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        new MySqlStagedImport(staging, target, step).promote();
    }

    @Override
    public List<String> databaseNames(DatabaseEndpoint server, String part, String step) {
        try (Connection connection = MySqlConnections.openServer(server, step, JdbcUse.PROBE)) {
            return MySqlQueries.rows(connection, "SELECT schema_name FROM information_schema.schemata"
                    + " WHERE LOCATE(?, schema_name) > 0 ORDER BY schema_name", part).stream().map(row -> row[0]).toList();
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not list the databases on " + server.describe(),
                    "Check that " + server.user() + " may read information_schema");
        }
    }

    @Override
    public List<String> tablesNamedLikeStaging(DatabaseEndpoint source, String step) {
        try (Connection connection = MySqlConnections.openServer(source, step, JdbcUse.PROBE)) {
            return MySqlQueries.rows(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " AND table_name IN (?, ?) ORDER BY table_name", source.database(), MySqlRunMark.TABLE, MySqlMovePlan.TABLE)
                    .stream().map(row -> row[0]).toList();
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not list the tables of " + source.describe(),
                    "Check that " + source.user() + " may read information_schema");
        }
    }

    /** The row of {@value MySqlRunMark#TABLE} in the database, or null (see {@link MySqlRunMark}). */
    @Override
    public String importMark(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step, JdbcUse.PROBE)) {
            return MySqlRunMark.read(connection, endpoint.database());
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not read Ferry's run mark in " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may read information_schema and " + MySqlRunMark.TABLE);
        }
    }

    /** Writes the row of {@value MySqlRunMark#TABLE} in the database, creating the table (MySQL and MariaDB alike). */
    @Override
    public void markImport(DatabaseEndpoint endpoint, String mark, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step)) {
            MySqlRunMark.write(connection, endpoint.database(), mark);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.IMPORT_FAILED, step, "Could not write Ferry's run mark in " + endpoint.describe(),
                    "Check that " + endpoint.user() + " may CREATE and INSERT in that database");
        }
    }

    /** {@code CREATE DATABASE IF NOT EXISTS ... CHARACTER SET utf8mb4}. */
    @Override
    public void ensureDatabase(DatabaseEndpoint endpoint, String step) {
        try (Connection connection = MySqlConnections.openServer(endpoint, step);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + MySqlIdentifiers.quote(endpoint.database())
                    + " CHARACTER SET " + DEFAULT_CHARSET);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not create the database " + endpoint.describe(),
                    "Create it by hand, or grant " + endpoint.user() + " the CREATE privilege");
        }
    }

    @Override
    public WriteFreeze freezeWrites(DatabaseEndpoint endpoint, String step) {
        return MySqlWriteFreeze.freeze(endpoint, step);
    }

    @Override
    public String freezeWritesDurably(DatabaseEndpoint endpoint, String step) {
        return MySqlWriteFreeze.freezeDurably(endpoint, step);
    }

    @Override
    public String releaseWrites(DatabaseEndpoint endpoint, String step) {
        return MySqlWriteFreeze.release(endpoint, step);
    }

    @Override
    public boolean writesFrozen(DatabaseEndpoint endpoint, String step) {
        return MySqlWriteFreeze.isFrozen(endpoint, step);
    }

    @Override
    public long databaseSize(DatabaseEndpoint endpoint, String step) {
        return MySqlWriteFreeze.size(endpoint, step);
    }

    /** Drops the database and creates it again, empty, with the character set and collation it had (else utf8mb4). */
    @Override
    public void recreateDatabase(DatabaseEndpoint endpoint, String step) {
        String name = MySqlIdentifiers.quote(endpoint.database());
        try (Connection connection = MySqlConnections.openServer(endpoint, step);
             Statement statement = connection.createStatement()) {
            String defaults = " CHARACTER SET " + DEFAULT_CHARSET;
            try (PreparedStatement current = connection.prepareStatement("SELECT default_character_set_name,"
                    + " default_collation_name FROM information_schema.schemata WHERE schema_name = ?")) {
                current.setString(1, endpoint.database());
                try (ResultSet result = current.executeQuery()) {
                    if (result.next()) {
                        defaults = " CHARACTER SET " + result.getString(1) + " COLLATE " + result.getString(2);
                    }
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name + defaults);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not recreate the database " + endpoint.describe(),
                    "Drop and create it by hand before running the import again");
        }
    }

    /**
     * One part, {@code database.sql}, dumped by the tool for the source's flavour (asked from the
     * source). {@code options.globals()} is ignored: users and grants are not carried (yet).
     */
    @Override
    public List<DumpPart> dumpParts(DatabaseEndpoint source, DumpOptions options) {
        return dumpParts(source, versions.server(source, false, null), options);
    }

    /** As {@link #dumpParts(DatabaseEndpoint, DumpOptions)}, for a source whose version is known already. */
    public List<DumpPart> dumpParts(DatabaseEndpoint source, ServerVersion sourceVersion, DumpOptions options) {
        String program = programs.dump(sourceVersion.flavour());
        return dumps.parts(source, program, versions.tool(program, null));
    }

    /**
     * The client for the target's flavour (asked from the target), reading the dump on stdin.
     * Never atomic; {@code clean} needs nothing more than the dump's own {@code DROP ... IF EXISTS}:
     * see {@link MySqlRestoreCommands}.
     */
    @Override
    public RestorePart restorePart(String format, DatabaseEndpoint target, RestoreOptions options) {
        MySqlRestoreCommands.checkFormat(format);
        return restorePart(format, target, versions.server(target, false, null), options);
    }

    /** As {@link #restorePart(String, DatabaseEndpoint, RestoreOptions)}, for a target whose version is known already. */
    public RestorePart restorePart(String format, DatabaseEndpoint target, ServerVersion targetVersion,
                                   RestoreOptions options) {
        MySqlRestoreCommands.checkFormat(format);
        String program = programs.client(targetVersion.flavour());
        return restores.part(format, target, options, program, versions.tool(program, null).flavour());
    }

    @Override
    public dev.ferry.engine.SqlScriptCut oneDatabaseOf(java.io.InputStream allDatabases, String database) {
        return new AllDatabasesDumpCut(allDatabases, database);
    }

    /** The client for the target's flavour, stopping at the first error; release its command once run. */
    @Override
    public RestorePart sqlScript(DatabaseEndpoint target) {
        return restorePart(MySqlDumpCommands.SQL_FORMAT, target, new RestoreOptions(false, 1, null));
    }

    /** Deletes the options file of a dump or restore command (see {@link MySqlToolOptions}). */
    @Override
    public void release(ChildCommand command) {
        MySqlToolOptions.release(command);
    }

    /** The dump of {@link #dumpParts}, bound to Ferry's snapshot (see {@link MySqlSnapshotDump}). */
    @Override
    public SnapshotDump snapshotDump(DatabaseEndpoint source, DumpOptions options, FigureRequest figures, String step) {
        List<DumpPart> parts = dumpParts(source, options);
        return MySqlSnapshotDump.open(source, parts, figures, options.lockTimeout(),
                MariaDbChangeCapture.GTID_SNAPSHOT.equals(options.snapshot()), figureReader, step);
    }

    /** The figures in {@code request.jobs()} sessions whose snapshots begin together (see {@link MySqlFigureReader}). */
    @Override
    public Inventory inventory(DatabaseEndpoint endpoint, FigureRequest request, String step) {
        List<Connection> sessions = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < request.jobs(); i++) {
                sessions.add(MySqlConnections.open(endpoint, step, JdbcUse.LONG_QUERY));
            }
            for (Connection session : sessions) {
                MySqlFigureReader.beginSnapshot(session);
            }
            return figureReader.read(sessions, endpoint.database(), figureReader.counters(sessions.get(0), endpoint.database()),
                    request);
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.CONNECTION, step, "Could not read the figures of "
                    + endpoint.describe(), "Check that the user may read every table of this database, and the check queries");
        } finally {
            for (Connection session : sessions) {
                MySqlFigureReader.endSnapshot(session);
                try {
                    session.close();
                } catch (SQLException ignored) {
                    // nothing left to free
                }
            }
        }
    }

    /** Runs one query in a read-only transaction: statements that would change anything are refused. */
    @Override
    public String queryValue(DatabaseEndpoint endpoint, String sql, String step) {
        try (Connection connection = MySqlConnections.open(endpoint, step, JdbcUse.LONG_QUERY)) {
            return inReadOnlySnapshot(connection, () -> FirstValue.of(connection, sql));
        } catch (SQLException e) {
            throw MySqlFailures.of(e, ErrorCode.BAD_INPUT, step, "The check query failed on " + endpoint.describe(),
                    "Fix the query; checks run read-only and must return one value");
        }
    }

    /**
     * Runs reads in one read-only, repeatable-read transaction and rolls back. The session itself is
     * made read-only too: DDL commits the transaction implicitly, and the next one is read-only as well.
     */
    private static <T> T inReadOnlySnapshot(Connection connection, SqlWork<T> work) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.execute("SET SESSION TRANSACTION READ ONLY");
        }
        connection.setAutoCommit(false);
        try {
            return work.run();
        } finally {
            connection.rollback();
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** MariaDB's binlog replication (see {@link MariaDbChangeCapture}); its readiness refuses a MySQL source. */
    @Override
    public java.util.Optional<dev.ferry.engine.ChangeCapture> changeCapture() {
        return java.util.Optional.of(new MariaDbChangeCapture());
    }
}
