package dev.ferry.restore;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;

/**
 * Where an import goes and how it ends, decided before the first byte is restored: into a staging
 * database named for the run (renamed or moved into place once complete), into the target marked
 * as importing, or straight into the target; or nowhere, because this run's import is already
 * there. {@link ArtifactRestore} and the upload's overlapped restore both start imports here.
 */
public final class ImportInto {

    private final RestoreContext context;
    private final Engine engine;
    private final DatabaseEndpoint target;
    private final DatabaseEndpoint into;
    private final boolean staged;
    private final boolean marked;
    private final boolean wasEmpty;
    private final boolean alreadyDone;

    private ImportInto(RestoreContext context, Engine engine, DatabaseEndpoint target, DatabaseEndpoint into,
                       boolean staged, boolean marked, boolean wasEmpty, boolean alreadyDone) {
        this.context = context;
        this.engine = engine;
        this.target = target;
        this.into = into;
        this.staged = staged;
        this.marked = marked;
        this.wasEmpty = wasEmpty;
        this.alreadyDone = alreadyDone;
    }

    /**
     * Decides, and prepares: finishes what an earlier attempt of this run left (a committed target,
     * a complete staging database to promote, a half-imported target to empty), refuses a non-empty
     * target unless {@code clean}, drops what dead runs left, creates and marks the database the
     * restore writes into. With {@code restageComplete} a complete staging database of this run is
     * dropped and restored again rather than promoted (a dump that runs again makes a new artifact).
     */
    static ImportInto begin(RestoreContext context, Engine engine, DatabaseEndpoint target, boolean clean, boolean restageComplete) {
        String step = context.stepId();
        String runId = context.runId();
        boolean exists = engine.databaseExists(target, step);
        ImportMark.State mark = exists ? ImportMark.of(engine, target, runId, step) : ImportMark.State.NONE;
        DatabaseEndpoint staging = ImportMark.staging(engine, target, runId);
        if (mark == ImportMark.State.COMMITTED) {
            if (staging != null && engine.databaseExists(staging, step)) {
                // the run stopped between the move and dropping what it left of the staging database
                dropQuietly(engine, staging, context);
            }
            return done(context, engine, target, target.describe() + " was committed by this run before it stopped:"
                    + " not restored again, the smoke test verifies it");
        }
        if (staging != null && !restageComplete && ImportMark.stagedComplete(engine, target, runId, step)) {
            context.intent("finish promoting the complete staging database " + staging.database() + " to " + target.database());
            long start = System.nanoTime();
            engine.promote(staging, target, step);
            markMoved(context, engine, staging, runId);
            return done(context, engine, target, "the staging database " + staging.database() + " already held this run's"
                    + " complete, verified import (restored while the upload streamed, or by an attempt that stopped): promoted to "
                    + target.database() + " in " + millisSince(start) + " ms, not restored again");
        }
        if (mark == ImportMark.State.IMPORTING) {
            engine.recreateDatabase(target, step);
            context.note(target.describe() + " was left half-imported by an earlier attempt of this run: recreated empty, imported again");
        }
        boolean wasEmpty = !exists || mark == ImportMark.State.IMPORTING || engine.isEmpty(target, step);
        if (!clean && !wasEmpty) {
            throw new FerryException(ErrorCode.TARGET_NOT_EMPTY, step, "Target database " + target.describe() + " is not empty",
                    "it already holds tables, views, sequences or functions",
                    "Point the migration at an empty database, or set clean: true to drop the objects the dump brings");
        }
        boolean marked = runId != null && wasEmpty;
        boolean staged = marked && staging != null;
        DatabaseEndpoint into = staged ? staging : target;
        if (staged) {
            dropAbandonedStagings(context, engine, target, runId);
            if (engine.databaseExists(into, step)) {
                // what an earlier attempt of this run left (Ferry killed mid-import) goes first
                engine.dropDatabase(into, step);
                context.note("dropped the staging database " + into.database() + " an earlier attempt of this run left");
            }
        }
        engine.ensureDatabase(into, step);
        if (staged) {
            engine.markImport(into, ImportMark.stagingBy(runId, ProcessHandle.current().pid(), AbandonedStagings.Host.name()), step);
        } else if (marked) {
            context.intent("import into " + target.database() + ", marked '" + ImportMark.importing(runId) + "' until complete");
            engine.markImport(target, ImportMark.importing(runId), step);
        }
        return new ImportInto(context, engine, target, into, staged, marked, wasEmpty, false);
    }

    private static ImportInto done(RestoreContext context, Engine engine, DatabaseEndpoint target, String why) {
        context.note(why);
        return new ImportInto(context, engine, target, target, false, false, false, true);
    }

    /** Whether this run's import is already complete in the target: nothing is to be restored. */
    public boolean alreadyDone() {
        return alreadyDone;
    }

    /** The database the restore writes into: the staging database, or the target itself. */
    public DatabaseEndpoint into() {
        return into;
    }

    /** Whether the restore goes into a staging database, so the target sees nothing until {@link #commit}. */
    public boolean staged() {
        return staged;
    }

    /** Undoes what a restore that applies as it reads left, after a failure found mid-object. */
    void undoPartial() {
        String step = context.stepId();
        if (staged) {
            engine.dropDatabase(into, step);
            context.note("the partial import went into a staging database, now dropped: the target was never touched");
        } else if (wasEmpty) {
            engine.recreateDatabase(into, step);
            context.note("the partial import was removed: " + into.describe() + " is empty again");
        } else {
            context.note(into.describe() + " was not empty before the import (clean: true) and now holds a partial import:"
                    + " run the import again");
        }
    }

    /**
     * Every object is restored and verified: a staging database is marked complete (from here a
     * resume promotes it instead of restoring again).
     */
    void completed() {
        if (staged) {
            engine.markImport(into, ImportMark.committed(context.runId()), context.stepId());
        }
    }

    /** After a failure: drops the staging database, so nothing of this attempt is left but the target as it was. */
    void abandon() {
        if (staged) {
            dropQuietly(engine, into, context);
        }
    }

    /** Makes the complete import the target: promotes the staging database, or marks the target committed. */
    void commit() {
        String step = context.stepId();
        String runId = context.runId();
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
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * When the move left the staging database behind (MySQL: its mark and the plan): marks it moved,
     * which tells a resume the target is this run's complete import, and drops it once the run's
     * journal holds the import's end.
     */
    static void markMoved(RestoreContext context, Engine engine, DatabaseEndpoint staging, String runId) {
        String step = context.stepId();
        if (!engine.databaseExists(staging, step)) {
            return;
        }
        engine.markImport(staging, ImportMark.moved(runId), step);
        context.onEndOnceRecorded(() -> engine.dropDatabase(staging, step));
    }

    /** Housekeeping that must not stop the import: a failure is noted, and the next staged import tries again. */
    static void dropAbandonedStagings(RestoreContext context, Engine engine, DatabaseEndpoint target, String runId) {
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

    static void dropQuietly(Engine engine, DatabaseEndpoint staging, RestoreContext context) {
        try {
            engine.dropDatabase(staging, context.stepId());
        } catch (RuntimeException e) {
            context.note("the staging database " + staging.database() + " could not be dropped (" + e.getMessage()
                    + "); a resume of this run drops it");
        }
    }
}
