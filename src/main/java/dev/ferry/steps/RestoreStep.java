package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import dev.ferry.process.ToolTimeout;
import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.restore.ArtifactRestore;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ReadLease;

import java.time.Duration;

/**
 * {@code ferry:restore}, the default {@code import}: restores an artifact into the target database
 * directly through {@link ArtifactRestore} (the same code Ferry's Everest importer runs). Each object
 * streams from S3 through checksum verification and decompression into the engine's restore tool;
 * the tool commits in one transaction at end of input, and the last bytes are withheld until the
 * checksum matches, so a damaged object never reaches the target. Into a staging database (the
 * default when the engine stages imports and {@code clean} is off) {@code import.jobs} workers build
 * indexes and constraints while later tables still load. Restoring in place ({@code clean}), with
 * {@code import.jobs} above 1 the database object is first spooled to a local file (a parallel
 * restore needs a seekable file), verified, then restored in parallel; the report says so. Refuses a
 * non-empty target unless {@code clean} is set. Holds a {@link ReadLease} on the artifact while it
 * reads it, so that no retention deletes it meanwhile. Sets {@code ferry.import}.
 */
public final class RestoreStep implements FerryStep {

    public static final Setting CLEAN = Setting.flag("clean", false, "restore over a non-empty target, dropping the objects the dump brings first");
    public static final Setting JOBS = Setting.integer("import.jobs", 1,
            "workers of the restore. Into a staging database (clean off) the dump streams from S3: PostgreSQL builds indexes and constraints with N workers while later tables load,"
                    + " MySQL/MariaDB loads the INSERTs with N client sessions. With clean: true, PostgreSQL spools the dump to a private file in the run's folder for pg_restore -j N");
    public static final Setting VERIFY_FIRST_MB = Setting.integer("import.verifyFirstMb", 8,
            "the MiB of each object whose checksum is checked before the restore starts reading it");

    public static final Setting OVERLAP = Setting.flag("import.overlap", true,
            "restore into the staging database while the upload streams (one read of the source feeds both); false: upload, then import");

    public static final StepSpec SPEC = StepSpec.of("restore",
            "restores the artifact into the target, verifying every checksum before the target commits",
            StepSpec.Contract.of(Set.of(Variables.ARTIFACT, Variables.TARGET, Variables.STORE, Variables.VERSION_VERDICT), Set.of(Variables.IMPORT)), List.of(), List.of(CLEAN, JOBS, OVERLAP, VERIFY_FIRST_MB, ToolTimeout.MINUTES));

    @Override
    public void execute(StepExecution execution) throws Exception {
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine engine = Engines.forName(target.engine(), execution.stepId());
        ArtifactStore store = Stores.artifacts(execution);
        ArtifactRestore.Restored restored;
        // the lease keeps retention away while the artifact is read; the manifest read after taking it proves
        // no retention deleted the artifact before it saw the lease (retention deletes the manifest first)
        try (ReadLease lease = ReadLease.acquire(store, artifact.folder(), execution.run().runId(), execution.stepId())) {
            store.readManifest(artifact.folder(), execution.stepId());
            restored = ArtifactRestore.run(execution.restoreContext(), store, artifact.manifest(), engine, target,
                    restoreOptions(execution));
        }
        if (restored.alreadyImported()) {
            execution.note(target.describe() + " holds " + restored.objects() + " from " + artifact.uri()
                    + ", restored before this step (beside the upload, or by an earlier attempt) with every object's SHA-256"
                    + " matched as it was stored");
        } else {
            execution.note("restored " + restored.objects() + " from " + artifact.uri() + " into " + target.describe()
                    + "; every object's SHA-256 matched its manifest");
        }
        execution.output(Variables.IMPORT, new ImportResult(artifact.uri(), target.describe(), restored.objects(), restored.bytes(),
                restored.spooled()));
    }

    static ArtifactRestore.Options restoreOptions(StepExecution execution) {
        String step = execution.stepId();
        return new ArtifactRestore.Options(CLEAN.flag(execution.settings(), step),
                JOBS.intValue(execution.settings(), step),
                ToolTimeout.of(execution.settings(), step),
                (long) VERIFY_FIRST_MB.intValue(execution.settings(), step) << 20);
    }
}
