package dev.ferry.restore;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Compression;
import dev.ferry.storage.Manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores a Ferry artifact into a database: the one piece of code behind {@code ferry:restore} and
 * {@code ferry importer}. Refuses a non-empty target unless {@code clean}. In a run (a run id) into
 * an empty or missing target, an engine that stages imports restores into a staging database named
 * for the run and renames it into place at the end, so the target appears complete or not at all
 * at any {@code jobs}; a resume drops what a dead attempt left, finishes the promotion of a staging
 * database its run had completed (for MySQL, a move of tables and definitions that a crash may cut),
 * and recognises a target its own run already committed (for MySQL, by what the move left of the
 * staging database, marked moved). A staged import also drops the staging databases other runs left
 * half-restored whose process is gone ({@link AbandonedStagings}). Otherwise the target database is created when missing. Then it moves each object from S3 through checksum verification and decompression
 * into the engine's restore tool ({@link ObjectRestorer}): an atomic tool gets its last bytes only
 * once the checksum matched; a tool that applies as it reads is undone (the database recreated
 * empty) when an object turns out damaged. With {@code jobs} above 1 the database object is
 * spooled to a private file first (a parallel restore needs a seekable file).
 */
public final class ArtifactRestore {

    /** How to restore. {@code verifyFirstBytes}: objects up to this size are verified in memory first for tools that apply as they read. */
    public record Options(boolean clean, int jobs, Duration timeout, long verifyFirstBytes) {
    }

    /** What was restored: the objects in order, their uncompressed bytes, and whether a spool file was used. */
    public record Restored(List<String> objects, long bytes, boolean spooled) {
    }

    private ArtifactRestore() {
    }

    public static Restored run(RestoreContext context, ArtifactStore store, Manifest manifest, Engine engine,
                               DatabaseEndpoint target, Options options) throws IOException {
        String step = context.stepId();
        if (options.jobs() < 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "import.jobs must be 1 or more", "it is " + options.jobs(),
                    "Set import.jobs: 1 to stream");
        }
        String runId = context.runId();
        boolean exists = engine.databaseExists(target, step);
        ImportMark.State mark = exists ? ImportMark.of(engine, target, runId, step) : ImportMark.State.NONE;
        DatabaseEndpoint staging = ImportMark.staging(engine, target, runId);
        if (mark == ImportMark.State.COMMITTED) {
            if (staging != null && engine.databaseExists(staging, step)) {
                // the run stopped between the move and dropping what it left of the staging database
                dropQuietly(engine, staging, step, context);
            }
            context.note(target.describe() + " was committed by this run before it stopped: not restored again, the smoke test verifies it");
            return whole(manifest);
        }
        if (staging != null && ImportMark.stagedComplete(engine, target, runId, step)) {
            context.intent("finish promoting the complete staging database " + staging.database() + " to " + target.database());
            long start = System.nanoTime();
            engine.promote(staging, target, step);
            markMoved(context, engine, staging, runId);
            context.note("the staging database " + staging.database() + " was complete and verified when this run stopped:"
                    + " promoted to " + target.database() + " (" + millisSince(start) + " ms), not restored again");
            return whole(manifest);
        }
        if (mark == ImportMark.State.IMPORTING) {
            engine.recreateDatabase(target, step);
            context.note(target.describe() + " was left half-imported by an earlier attempt of this run: recreated empty, imported again");
        }
        boolean wasEmpty = !exists || mark == ImportMark.State.IMPORTING || engine.isEmpty(target, step);
        if (!options.clean() && !wasEmpty) {
            throw new FerryException(ErrorCode.TARGET_NOT_EMPTY, step, "Target database " + target.describe() + " is not empty",
                    "it already holds tables, views, sequences or functions",
                    "Point the migration at an empty database, or set clean: true to drop the objects the dump brings");
        }
        boolean marked = runId != null && wasEmpty;
        boolean staged = marked && staging != null;
        DatabaseEndpoint into = staged ? staging : target;
        if (staged) {
            dropAbandonedStagings(context, engine, target, runId);
        }
        if (staged && engine.databaseExists(into, step)) {
            // what an earlier attempt of this run left (Ferry killed mid-import) goes first
            engine.dropDatabase(into, step);
            context.note("dropped the staging database " + into.database() + " an earlier attempt of this run left half-restored");
        }
        engine.ensureDatabase(into, step);
        if (staged) {
            engine.markImport(into, ImportMark.stagingBy(runId, ProcessHandle.current().pid(), AbandonedStagings.Host.name()), step);
        }
        if (marked && !staged) {
            context.intent("import into " + target.database() + ", marked '" + ImportMark.importing(runId) + "' until complete");
            engine.markImport(target, ImportMark.importing(runId), step);
        }
        Restored restored;
        try {
            long start = System.nanoTime();
            restored = restoreObjects(context, store, manifest, engine, into, options, wasEmpty, staged);
            if (staged) {
                context.note("restored into the staging database " + into.database() + " in " + millisSince(start) + " ms");
                engine.markImport(into, ImportMark.committed(runId), step);
            }
        } catch (IOException | RuntimeException e) {
            if (staged) {
                dropQuietly(engine, into, step, context);
            }
            throw e;
        }
        if (staged) {
            // from here a failure leaves the staging database for the resume, which finishes the move
            context.intent("promote the staging database " + into.database() + " to " + target.database()
                    + " (marked '" + ImportMark.committed(runId) + "')");
            long start = System.nanoTime();
            engine.promote(into, target, step);
            markMoved(context, engine, into, runId);
            context.note("promoted the complete staging database " + into.database() + " to " + target.database() + " in "
                    + millisSince(start) + " ms: the target appeared whole");
        } else if (marked) {
            context.intent("mark " + target.database() + " '" + ImportMark.committed(runId) + "'");
            engine.markImport(target, ImportMark.committed(runId), step);
        }
        return restored;
    }

    private static Restored whole(Manifest manifest) {
        return new Restored(manifest.objects().stream().map(Manifest.StoredObject::name).toList(),
                manifest.objects().stream().mapToLong(Manifest.StoredObject::uncompressedSize).sum(), false);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Restored restoreObjects(RestoreContext context, ArtifactStore store, Manifest manifest, Engine engine,
                                           DatabaseEndpoint target, Options options, boolean wasEmpty, boolean staged)
            throws IOException {
        String step = context.stepId();
        Compression compression = Compression.fromId(manifest.compression(), step);
        ObjectRestorer restorer = new ObjectRestorer(context, store, compression, options.timeout(), () -> {
            if (staged) {
                engine.dropDatabase(target, step);
                context.note("the partial import went into a staging database, now dropped: the target was never touched");
            } else if (wasEmpty) {
                engine.recreateDatabase(target, step);
                context.note("the partial import was removed: " + target.describe() + " is empty again");
            } else {
                context.note(target.describe() + " was not empty before the import (clean: true) and now holds a partial import:"
                        + " run the import again");
            }
        }, options.verifyFirstBytes());
        restorer.removeSpoolFiles(context.workDirectory());
        List<String> restored = new ArrayList<>();
        long bytes = 0;
        boolean spooled = false;
        for (Manifest.StoredObject object : manifest.objects()) {
            RestorePart streamed = engine.restorePart(object.format(), target, new RestoreOptions(options.clean(), 1, null));
            try {
                if (options.jobs() > 1 && streamed.atomic()) {
                    Path file = restorer.spool(object, context.workDirectory());
                    RestorePart parallel = engine.restorePart(object.format(), target,
                            new RestoreOptions(options.clean(), options.jobs(), file));
                    try {
                        context.note(object.name() + " spooled to local disk (" + object.uncompressedSize()
                                + " bytes) for a parallel restore with " + options.jobs()
                                + " jobs: a parallel restore needs a seekable file");
                        restorer.runFromFile(parallel, object);
                    } finally {
                        engine.release(parallel.command());
                        restorer.deleteSpool(file);
                    }
                    spooled = true;
                } else {
                    restorer.stream(object, streamed);
                }
            } finally {
                engine.release(streamed.command());
            }
            restored.add(object.name());
            bytes += object.uncompressedSize();
        }
        return new Restored(List.copyOf(restored), bytes, spooled);
    }

    /**
     * When the move left the staging database behind (MySQL: its mark and the plan): marks it moved,
     * which tells a resume the target is this run's complete import, and drops it once the run's
     * journal holds the import's end.
     */
    private static void markMoved(RestoreContext context, Engine engine, DatabaseEndpoint staging, String runId) {
        String step = context.stepId();
        if (!engine.databaseExists(staging, step)) {
            return;
        }
        engine.markImport(staging, ImportMark.moved(runId), step);
        context.onEndOnceRecorded(() -> engine.dropDatabase(staging, step));
    }

    /** Housekeeping that must not stop the import: a failure is noted, and the next staged import tries again. */
    private static void dropAbandonedStagings(RestoreContext context, Engine engine, DatabaseEndpoint target, String runId) {
        String step = context.stepId();
        try {
            for (String abandoned : AbandonedStagings.find(engine, target, runId, step)) {
                engine.dropDatabase(target.withDatabase(abandoned), step);
                context.note("dropped the staging database " + abandoned + " that another run, whose process is gone,"
                        + " left half-restored");
            }
        } catch (RuntimeException e) {
            context.note("could not drop the staging databases other runs left half-restored (" + e.getMessage()
                    + "); the next staged import into " + target.database() + " tries again");
        }
    }

    private static void dropQuietly(Engine engine, DatabaseEndpoint staging, String step, RestoreContext context) {
        try {
            engine.dropDatabase(staging, step);
        } catch (RuntimeException e) {
            context.note("the staging database " + staging.database() + " could not be dropped (" + e.getMessage()
                    + "); a resume of this run drops it");
        }
    }
}
