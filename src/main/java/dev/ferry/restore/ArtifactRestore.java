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
 * {@code ferry importer}. Creates the target database when missing, refuses a non-empty one unless
 * {@code clean}, then moves each object from S3 through checksum verification and decompression
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
        engine.ensureDatabase(target, step);
        boolean wasEmpty = engine.isEmpty(target, step);
        if (!options.clean() && !wasEmpty) {
            throw new FerryException(ErrorCode.TARGET_NOT_EMPTY, step, "Target database " + target.describe() + " is not empty",
                    "it already holds tables, views, sequences or functions",
                    "Point the migration at an empty database, or set clean: true to drop the objects the dump brings");
        }
        Compression compression = Compression.fromId(manifest.compression(), step);
        ObjectRestorer restorer = new ObjectRestorer(context, store, compression, options.timeout(), () -> {
            if (wasEmpty) {
                engine.recreateDatabase(target, step);
                context.note("the partial import was removed: " + target.describe() + " is empty again");
            } else {
                context.note(target.describe() + " was not empty before the import (clean: true) and now holds a partial import:"
                        + " run the import again");
            }
        }, options.verifyFirstBytes());
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
}
