package dev.ferry.restore;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.RestorePart;
import dev.ferry.engine.SqlScriptCut;
import dev.ferry.process.ChildProcess;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Restores one database out of a gzip'd all-databases plain SQL dump that Ferry did not make (a
 * hosting add-on's pg_dumpall or mariadb-dump --all-databases): the dump streams through gunzip and
 * the engine's cut of that database ({@link Engine#oneDatabaseOf}) into the engine's SQL client,
 * which stops at the first error, writing into a staging database named for the run. The gzip stream
 * is read to its end, so its CRC-32 and length are checked, before the client sees the end of its
 * input. Only a whole, error-free restore replaces the target (dropped, then the staging database
 * promoted in its place); any failure drops the staging database and leaves the target as it was.
 */
public final class SqlDumpRestore {

    /** What was restored: the uncompressed bytes of the database's part given to the client, and what the client printed. */
    public record Restored(long bytes, List<String> clientLines) {
    }

    private SqlDumpRestore() {
    }

    public static Restored run(RestoreContext context, Engine engine, DatabaseEndpoint target, String database,
                               InputStream gzipped, String dumpName, Duration timeout) {
        String step = context.stepId();
        String runId = context.runId();
        DatabaseEndpoint staging = target.withDatabase(StagingName.of(target.database(), runId));
        ImportInto.dropAbandonedStagings(context, engine, target, runId);
        if (engine.databaseExists(staging, step)) {
            engine.dropDatabase(staging, step);
            context.note("dropped the staging database " + staging.database() + " an earlier attempt of this run left");
        }
        engine.ensureDatabase(staging, step);
        engine.markImport(staging, ImportMark.stagingBy(runId, ProcessHandle.current().pid(), AbandonedStagings.Host.name()), step);
        Restored restored;
        try {
            restored = restoreInto(engine, staging, database, gzipped, dumpName, timeout, step);
            engine.markImport(staging, ImportMark.committed(runId), step);
        } catch (RuntimeException e) {
            ImportInto.dropQuietly(engine, staging, context);
            context.note("the restore went into the staging database " + staging.database() + ", now dropped: "
                    + target.describe() + " was not touched");
            throw e;
        }
        context.intent("replace " + target.database() + " with the complete staging database " + staging.database());
        if (engine.databaseExists(target, step)) {
            engine.dropDatabase(target, step);
        }
        engine.promote(staging, target, step);
        ImportInto.markMoved(context, engine, staging, runId);
        context.note("restored " + database + " from " + dumpName + " into the staging database " + staging.database()
                + ", which then replaced " + target.describe());
        return restored;
    }

    private static Restored restoreInto(Engine engine, DatabaseEndpoint staging, String database, InputStream gzipped,
                                        String dumpName, Duration timeout, String step) {
        RestorePart part = engine.sqlScript(staging);
        String program = part.command().program();
        try (ChildProcess client = ChildProcess.start(part.command(), step);
             SqlScriptCut cut = engine.oneDatabaseOf(new BufferedInputStream(new GZIPInputStream(gzipped, 1 << 16), 1 << 16), database)) {
            long bytes = copy(cut, client, program, dumpName, timeout, step);
            if (!cut.foundWhole()) {
                client.kill();
                throw new FerryException(ErrorCode.BAD_INPUT, step, "The dump " + dumpName + " holds no whole part for database " + database,
                        "an all-databases dump has one part per database, and none is named " + database + " or it ends early",
                        "Pick a dump of the server that holds " + database + ", or set source.database to the database to restore");
            }
            client.stdin().close();
            client.awaitSuccess(timeout, step);
            List<String> lines = client.stderrTail().lines().filter(l -> !l.isBlank()).toList();
            List<String> errors = lines.stream().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("error")).toList();
            if (!errors.isEmpty()) {
                throw new FerryException(ErrorCode.IMPORT_FAILED, step, program + " exited 0 but printed errors restoring " + dumpName,
                        String.join("; ", errors), "Fix the cause above and restore again");
            }
            return new Restored(bytes, lines);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.IMPORT_FAILED, step, "Could not read the dump " + dumpName, String.valueOf(e.getMessage()),
                    "Check the file (gzip -t) and pick another dump");
        } finally {
            engine.release(part.command());
        }
    }

    private static long copy(SqlScriptCut cut, ChildProcess client, String program, String dumpName, Duration timeout, String step)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        OutputStream input = client.stdin();
        while (true) {
            int n;
            try {
                n = cut.read(buffer);
            } catch (IOException damaged) {
                client.kill();
                throw new FerryException(ErrorCode.IMPORT_FAILED, step, "The dump " + dumpName + " is damaged",
                        "gunzip failed after " + bytes + " bytes of SQL: " + damaged.getMessage()
                                + " (a truncated or corrupt .gz)", "Pick another dump; this one cannot be restored whole");
            }
            if (n < 0) {
                return bytes;
            }
            try {
                input.write(buffer, 0, n);
            } catch (IOException stopped) {
                client.await(timeout, step);
                throw new FerryException(ErrorCode.IMPORT_FAILED, step, program + " stopped reading " + dumpName,
                        client.stderrTail().isEmpty() ? String.valueOf(stopped.getMessage()) : client.stderrTail(),
                        "Fix the cause above and restore again");
            }
            bytes += n;
        }
    }
}
