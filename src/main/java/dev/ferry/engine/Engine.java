package dev.ferry.engine;

import dev.ferry.process.ChildCommand;

import java.util.List;

/**
 * Everything database-specific, one implementation per engine package, found with
 * {@link java.util.ServiceLoader}. Nothing outside an engine's package knows its commands or SQL.
 */
public interface Engine {

    /** The engine name used in migration files, for example {@code postgresql}. */
    String name();

    /** What physical migrations ask of this engine's servers; engines without physical migrations have none. */
    default java.util.Optional<PhysicalServer> physicalServer() {
        return java.util.Optional.empty();
    }

    /** The {@code <side>.} settings this engine's connections read beyond host, port and database (its TLS settings). */
    default List<dev.ferry.spec.Setting> settings() {
        return List.of();
    }

    /** Whether this engine serves the given name (including aliases such as {@code postgres}). */
    boolean handles(String engineName);

    /** The port a server of this engine listens on unless told otherwise. */
    int defaultPort();

    /** Connects (proving the credentials) and returns the server's version. */
    ServerVersion probeServer(DatabaseEndpoint endpoint, String step);

    /** The version of the dump tool on this machine that dumps a source of this version (the tool differs per flavour). */
    ServerVersion dumpToolVersion(ServerVersion source, String step);

    /** Whether the database exists on its server (a connection to the server only; changes nothing). */
    boolean databaseExists(DatabaseEndpoint endpoint, String step);

    /**
     * Connects to the server of a database that may not exist yet (the import creates it), proving
     * the credentials, and returns the server's version; changes nothing. Failures name the endpoint.
     */
    ServerVersion probeTargetServer(DatabaseEndpoint endpoint, String step);

    /**
     * Whether the engine restores into a staging database renamed into place at the end
     * ({@link #promote}), so that the target appears complete or not at all, at any parallelism.
     */
    default boolean stagesImports() {
        return false;
    }

    /**
     * What {@code import.jobs} above 1 does to this engine's restore, for {@code ferry plan}: into a
     * staging database, or in place ({@code clean}); null when it changes nothing.
     */
    default String parallelRestorePlan(int jobs, boolean clean) {
        return null;
    }

    /** Drops the database if it exists (a staging database a dead run left, say). */
    default void dropDatabase(DatabaseEndpoint endpoint, String step) {
        throw new UnsupportedOperationException(name() + " does not stage imports");
    }

    /**
     * Makes a complete staging database the target: drops the target if it exists (the caller
     * checked it is empty) and renames the staging database to the target's name (PostgreSQL), or
     * moves its objects into the target (MySQL), after which the staging database still exists,
     * holding only its mark and the move's plan, until the caller drops it.
     */
    default void promote(DatabaseEndpoint staging, DatabaseEndpoint target, String step) {
        throw new UnsupportedOperationException(name() + " does not stage imports");
    }

    /**
     * Which run imported the database, as Ferry recorded it (see {@code ImportMark}), or null: the
     * database's comment (PostgreSQL), a one-row table {@code ferry_run_mark} (MySQL and MariaDB,
     * kept in staging databases only).
     */
    String importMark(DatabaseEndpoint endpoint, String step);

    /**
     * The names of the databases on the endpoint's server that contain {@code part} (where runs'
     * staging databases are found); empty for an engine that does not list them.
     */
    default java.util.List<String> databaseNames(DatabaseEndpoint server, String part, String step) {
        return java.util.List.of();
    }

    /** Records which run imports the database, replacing an earlier mark (see {@link #importMark}). */
    void markImport(DatabaseEndpoint endpoint, String mark, String step);

    /** Whether the database holds no user objects (tables, views, sequences, routines). */
    boolean isEmpty(DatabaseEndpoint endpoint, String step);

    /**
     * The source's tables whose names the staged import keeps for itself (its run mark, its move
     * plan): such a source cannot be imported, and preflight says so before anything moves.
     */
    default List<String> tablesNamedLikeStaging(DatabaseEndpoint source, String step) {
        return List.of();
    }

    /** Creates the database on the target server when it does not exist yet. */
    void ensureDatabase(DatabaseEndpoint endpoint, String step);

    /**
     * Drops the database and creates it again, empty: how an import that could not complete is
     * undone on a target that was empty before it (for engines whose restore cannot be one transaction).
     */
    void recreateDatabase(DatabaseEndpoint endpoint, String step);

    /** Holds off writes to the database until the returned freeze is closed; the hold dies with the session. */
    WriteFreeze freezeWrites(DatabaseEndpoint endpoint, String step);

    /**
     * Makes the database refuse writes until {@link #releaseWrites} (a cutover's freeze-source step):
     * unlike {@link #freezeWrites} it outlives this process, so a crash leaves the source frozen,
     * never half-written; open sessions that could still write are ended. Calling it again is harmless.
     * Returns what was frozen, for the report.
     */
    default String freezeWritesDurably(DatabaseEndpoint endpoint, String step) {
        throw new UnsupportedOperationException(name() + " has no durable write freeze");
    }

    /**
     * Lifts a {@link #freezeWritesDurably} freeze; does nothing more when none is in effect. Sessions
     * that began during the freeze and stay read-only until they reconnect are ended, so that
     * connection pools reconnect writable. Returns what was done, for the report.
     */
    default String releaseWrites(DatabaseEndpoint endpoint, String step) {
        throw new UnsupportedOperationException(name() + " has no durable write freeze");
    }

    /** Whether a {@link #freezeWritesDurably} freeze is in effect on the database. */
    default boolean writesFrozen(DatabaseEndpoint endpoint, String step) {
        return false;
    }

    /** The database's size on disk in bytes (what estimates from earlier runs are scaled by). */
    default long databaseSize(DatabaseEndpoint endpoint, String step) {
        return -1;
    }

    /** Change capture for online cutovers, for engines that have it. */
    default java.util.Optional<ChangeCapture> changeCapture() {
        return java.util.Optional.empty();
    }

    /** The objects a dump consists of, in the order they must be restored. */
    List<DumpPart> dumpParts(DatabaseEndpoint source, DumpOptions options);

    /** How to restore an object of the given format (as named by {@link DumpPart#format()}). */
    RestorePart restorePart(String format, DatabaseEndpoint target, RestoreOptions options);

    /**
     * Starts a dump bound to one snapshot of the source, with the source's figures read in that same
     * snapshot while the dump streams (see {@link SnapshotDump}). Close it once the parts have streamed.
     */
    SnapshotDump snapshotDump(DatabaseEndpoint source, DumpOptions options, FigureRequest figures, String step);

    /** Reads a database's figures in one snapshot (a target's, to compare with the artifact's). */
    Inventory inventory(DatabaseEndpoint endpoint, FigureRequest request, String step);

    /**
     * One database's part of an all-databases plain SQL dump of this engine (a hosting add-on's
     * pg_dumpall or mariadb-dump --all-databases), to run with {@link #sqlScript} in another database.
     */
    default SqlScriptCut oneDatabaseOf(java.io.InputStream allDatabases, String database) {
        throw new UnsupportedOperationException(name() + " reads no all-databases dump");
    }

    /** How to run a plain SQL script in the database, stopping at its first error. */
    default RestorePart sqlScript(DatabaseEndpoint target) {
        throw new UnsupportedOperationException(name() + " runs no SQL script");
    }

    /** Runs one user check (a query returning one value) and returns that value as text. */
    String queryValue(DatabaseEndpoint endpoint, String sql, String step);

    /**
     * Frees what the engine made for a command of a {@link DumpPart} or {@link RestorePart} (for
     * MySQL, the private options file holding the password). Call it once the command has ended, or
     * when it will not be run; calling it again does nothing. The default frees nothing.
     */
    default void release(ChildCommand command) {
    }
}
