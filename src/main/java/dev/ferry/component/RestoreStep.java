package dev.ferry.component;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Compression;
import dev.ferry.storage.Manifest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry:restore}, the default {@code import}: restores an artifact into the target database
 * directly. Each object streams from S3 through checksum verification and decompression into the
 * engine's restore tool; the tool commits in one transaction at end of input, and the last bytes are
 * withheld until the checksum matches, so a damaged object never reaches the target. With
 * {@code import.jobs} above 1 the database object is first spooled to a local file (a parallel
 * restore needs a seekable file), verified, then restored in parallel; the report says so.
 * Refuses a non-empty target unless {@code clean} is set. Sets {@code ferry.import}.
 */
final class RestoreStep implements FerryStep {

    @Override
    public void execute(StepExecution execution) throws Exception {
        String step = execution.stepId();
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine engine = Engines.forName(target.engine(), step);
        boolean clean = execution.settings().getBoolean("clean", false, step);
        int jobs = execution.settings().getInt("import.jobs", 1, step);
        Duration timeout = Duration.ofMinutes(execution.settings().getInt("timeoutMinutes", 24 * 60, step));
        if (jobs < 1) {
            throw execution.fail(ErrorCode.BAD_INPUT, "import.jobs must be 1 or more", "it is " + jobs, "Set import.jobs: 1 to stream");
        }
        engine.ensureDatabase(target, step);
        boolean wasEmpty = engine.isEmpty(target, step);
        if (!clean && !wasEmpty) {
            throw execution.fail(ErrorCode.TARGET_NOT_EMPTY, "Target database " + target.describe() + " is not empty",
                    "it already holds tables, views, sequences or functions",
                    "Point the migration at an empty database, or set clean: true to drop the objects the dump brings");
        }
        Manifest manifest = artifact.manifest();
        Compression compression = Compression.fromId(manifest.compression(), step);
        ArtifactStore store = Stores.artifacts(execution);
        ObjectRestorer restorer = new ObjectRestorer(execution, store, compression, timeout, () -> {
            if (wasEmpty) {
                engine.recreateDatabase(target, step);
                execution.note("the partial import was removed: " + target.describe() + " is empty again");
            } else {
                execution.note(target.describe() + " was not empty before the import (clean: true) and now holds a partial import:"
                        + " run the import again");
            }
        }, (long) execution.settings().getInt("import.verifyFirstMb", 8, step) << 20);
        List<String> restored = new ArrayList<>();
        long bytes = 0;
        boolean spooled = false;
        for (Manifest.StoredObject object : manifest.objects()) {
            RestorePart streamed = engine.restorePart(object.format(), target, new RestoreOptions(clean, 1, null));
            try {
                if (jobs > 1 && streamed.atomic()) {
                    Path file = restorer.spool(object, execution.run().runDirectory());
                    RestorePart parallel = engine.restorePart(object.format(), target, new RestoreOptions(clean, jobs, file));
                    try {
                        execution.note(object.name() + " spooled to local disk (" + object.uncompressedSize()
                                + " bytes) for a parallel restore with " + jobs + " jobs: a parallel restore needs a seekable file");
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
        execution.note("restored " + restored + " from " + artifact.uri() + " into " + target.describe()
                + "; every object's SHA-256 matched its manifest");
        execution.output(Variables.IMPORT, new ImportResult(artifact.uri(), target.describe(), restored, bytes, spooled));
    }
}
