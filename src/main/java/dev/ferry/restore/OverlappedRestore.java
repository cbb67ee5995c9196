package dev.ferry.restore;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.RestoreCompanion;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildProcess;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Compression;
import dev.ferry.storage.HoldbackOutputStream;
import dev.ferry.storage.Manifest;

import java.io.IOException;
import java.time.Duration;

/**
 * A restore that consumes the dump while the upload writes it to S3: one read of the source feeds
 * both. It always goes into this run's staging database, which becomes the target only in the
 * import step, after the artifact is complete. Each part's restore tool gets its last bytes only
 * once that part's upload has completed with its SHA-256 recorded, and the staging database is
 * marked complete only once the manifest is written; any failure on either side drops it.
 */
public final class OverlappedRestore {

    private final RestoreContext context;
    private final ArtifactStore store;
    private final Engine engine;
    private final ImportInto into;
    private final Duration timeout;
    private final long verifyFirstBytes;
    private final int jobs;
    private Feed live;
    private long restoredBytes;

    private OverlappedRestore(RestoreContext context, ArtifactStore store, Engine engine, ImportInto into,
                              ArtifactRestore.Options options) {
        this.timeout = options.timeout();
        this.jobs = options.jobs();
        this.verifyFirstBytes = options.verifyFirstBytes();
        this.context = context;
        this.store = store;
        this.engine = engine;
        this.into = into;
    }

    /**
     * Prepares this run's staging database for {@code target} (dropping whatever an earlier attempt
     * of the run left there, complete or not: the upload that runs again makes a new artifact), or
     * returns null when the import cannot be staged or this run's import is already in the target.
     */
    public static OverlappedRestore begin(RestoreContext context, ArtifactStore store, Engine engine, DatabaseEndpoint target,
                                          ArtifactRestore.Options options) throws IOException {
        if (context.runId() == null || !engine.stagesImports()) {
            return null;
        }
        ObjectRestorer.removeSpoolFiles(context);
        ImportInto into = ImportInto.begin(context, engine, target, false, true);
        if (into.alreadyDone() || !into.staged()) {
            return null;
        }
        return new OverlappedRestore(context, store, engine, into, options);
    }

    public DatabaseEndpoint staging() {
        return into.into();
    }

    /**
     * Starts the restore of one dump part, to be fed as the part streams; null for a part that does
     * not go into the database (roles), which {@link #restoreStored} restores once it is stored.
     */
    public Feed feed(DumpPart part) {
        RestorePart restore = engine.restorePart(part.format(), into.into(),
                RestoreOptions.staged(jobs, context.workDirectory(), context.stepId(), timeout));
        if (restore.serverWide()) {
            engine.release(restore.command());
            return null;
        }
        RestoreCompanion companion = restore.companion();
        ChildProcess child = ChildProcess.start(restore.command(), context.stepId(),
                companion == null ? null : companion::stderrLine);
        context.onEnd(child);
        try {
            live = new Feed(part, restore, child);
        } catch (RuntimeException companionFailed) {
            child.kill();
            engine.release(restore.command());
            throw companionFailed;
        }
        return live;
    }

    /** Restores a part that does not go into the database from its stored, verified object. */
    public void restoreStored(Manifest.StoredObject object, Compression compression) throws IOException {
        RestorePart restore = engine.restorePart(object.format(), into.into(), new RestoreOptions(false, 1, null));
        try {
            new ObjectRestorer(context, store, compression, timeout, () -> { }, verifyFirstBytes).stream(object, restore);
        } finally {
            engine.release(restore.command());
        }
    }

    /** The artifact is complete (its manifest written): marks the staging database complete for the import step. */
    public void complete() {
        into.completed();
        context.note("restored " + restoredBytes + " bytes into the staging database " + into.into().database()
                + " while the upload streamed; every part's restore got its last bytes only after its upload completed;"
                + " the import step promotes it");
    }

    /** After a failure anywhere in the upload: stops a restore still running and drops the staging database. */
    public void abandon() {
        if (live != null) {
            live.abort();
        }
        into.abandon();
    }

    /** One part's restore tool, fed the dump's bytes as they stream. */
    public final class Feed {

        private final DumpPart part;
        private final RestorePart restore;
        private final ChildProcess child;
        private final HoldbackOutputStream input;
        private boolean ended;

        private Feed(DumpPart part, RestorePart restore, ChildProcess child) {
            this.part = part;
            this.restore = restore;
            this.child = child;
            this.input = new HoldbackOutputStream(restore.companion() == null ? child.stdin() : restore.companion().input(child));
        }

        public void write(byte[] bytes, int offset, int length) {
            try {
                if (restore.companion() != null) {
                    restore.companion().bytes(bytes, offset, length);
                }
                input.write(bytes, offset, length);
                restoredBytes += length;
            } catch (IOException stopped) {
                throw stoppedReading(stopped);
            } catch (RuntimeException companionFailed) {
                abort();
                throw companionFailed;
            }
        }

        /** The part's upload completed: the tool gets its last bytes and must succeed. */
        public void commit() {
            String step = context.stepId();
            try {
                input.release();
            } catch (IOException stopped) {
                throw stoppedReading(stopped);
            }
            boolean done = false;
            try {
                child.awaitSuccess(timeout, step);
                ObjectRestorer.reportTolerated(context, restore, child);
                if (restore.companion() != null) {
                    restore.companion().finish(timeout);
                    context.note(restore.companion().summary());
                }
                done = true;
            } finally {
                if (!done && restore.companion() != null) {
                    restore.companion().abort();
                }
                end();
            }
        }

        /** Kills the tool before it gets the withheld bytes: an atomic tool commits nothing. */
        public void abort() {
            if (ended) {
                return;
            }
            child.kill();
            if (restore.companion() != null) {
                restore.companion().abort();
            }
            try {
                input.discard();
            } catch (IOException closed) {
                // the tool is gone already
            }
            end();
        }

        private void end() {
            ended = true;
            live = null;
            engine.release(restore.command());
        }

        /** The tool closed its input: waits for it to end, for the reason it gives. */
        private FerryException stoppedReading(IOException stopped) {
            child.await(timeout, context.stepId());
            String why = child.stderrTail().isEmpty() ? stopped.getMessage() : child.stderrTail();
            abort();
            return new FerryException(ErrorCode.IMPORT_FAILED, context.stepId(), restore.command().program()
                    + " stopped reading " + part.name() + " while it was restored into the staging database "
                    + into.into().database() + " during the upload", why,
                    "Fix the cause above and resume the run; import.overlap: false uploads the whole artifact before importing");
        }
    }
}
