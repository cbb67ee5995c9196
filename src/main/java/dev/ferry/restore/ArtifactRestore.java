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

    /**
     * What was restored: the objects in order, their uncompressed bytes, whether a spool file was
     * used, and whether the target already held them (restored during the upload, or by an earlier
     * attempt of the run) so that this call restored nothing.
     */
    public record Restored(List<String> objects, long bytes, boolean spooled, boolean alreadyImported) {
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
        ObjectRestorer.removeSpoolFiles(context);
        ImportInto into = ImportInto.begin(context, engine, target, options.clean(), false);
        if (into.alreadyDone()) {
            return whole(manifest);
        }
        Restored restored;
        try {
            long start = System.nanoTime();
            restored = restoreObjects(context, store, manifest, engine, into, options);
            if (into.staged()) {
                context.note("restored into the staging database " + into.into().database() + " in "
                        + ImportInto.millisSince(start) + " ms");
            }
            into.completed();
        } catch (IOException | RuntimeException e) {
            into.abandon();
            throw e;
        }
        into.commit();
        return restored;
    }

    private static Restored whole(Manifest manifest) {
        return new Restored(manifest.objects().stream().map(Manifest.StoredObject::name).toList(),
                manifest.objects().stream().mapToLong(Manifest.StoredObject::uncompressedSize).sum(), false, true);
    }

    private static Restored restoreObjects(RestoreContext context, ArtifactStore store, Manifest manifest, Engine engine,
                                           ImportInto into, Options options) throws IOException {
        String step = context.stepId();
        DatabaseEndpoint target = into.into();
        Compression compression = Compression.fromId(manifest.compression(), step);
        ObjectRestorer restorer = new ObjectRestorer(context, store, compression, options.timeout(), into::undoPartial,
                options.verifyFirstBytes());
        List<String> restored = new ArrayList<>();
        long bytes = 0;
        boolean spooled = false;
        for (Manifest.StoredObject object : manifest.objects()) {
            RestorePart streamed = engine.restorePart(object.format(), target, into.staged()
                    ? RestoreOptions.staged(options.jobs(), context.workDirectory(), step, options.timeout())
                    : new RestoreOptions(options.clean(), 1, null));
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
        return new Restored(List.copyOf(restored), bytes, spooled, false);
    }
}
