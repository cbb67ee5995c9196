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

    /** Whether this engine serves the given name (including aliases such as {@code postgres}). */
    boolean handles(String engineName);

    /** The port a server of this engine listens on unless told otherwise. */
    int defaultPort();

    /** Connects (proving the credentials) and returns the server's version. */
    ServerVersion probeServer(DatabaseEndpoint endpoint, String step);

    /** The version of the dump tool on this machine. */
    ServerVersion dumpToolVersion(String step);

    /** Whether the database holds no user objects (tables, views, sequences, routines). */
    boolean isEmpty(DatabaseEndpoint endpoint, String step);

    /** Creates the database on the target server when it does not exist yet. */
    void ensureDatabase(DatabaseEndpoint endpoint, String step);

    /**
     * Drops the database and creates it again, empty: how an import that could not complete is
     * undone on a target that was empty before it (for engines whose restore cannot be one transaction).
     */
    void recreateDatabase(DatabaseEndpoint endpoint, String step);

    /** Holds off writes to the database until the returned freeze is closed (a cutover's freeze step). */
    WriteFreeze freezeWrites(DatabaseEndpoint endpoint, String step);

    /** The objects a dump consists of, in the order they must be restored. */
    List<DumpPart> dumpParts(DatabaseEndpoint source, DumpOptions options);

    /** How to restore an object of the given format (as named by {@link DumpPart#format()}). */
    RestorePart restorePart(String format, DatabaseEndpoint target, RestoreOptions options);

    /** Reads the figures a smoke test compares. {@code checksums}: compute per-table content checksums. */
    Inventory inventory(DatabaseEndpoint endpoint, boolean checksums, String step);

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
