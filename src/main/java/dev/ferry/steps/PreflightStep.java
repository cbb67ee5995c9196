package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.VersionPolicy;
import dev.ferry.runtime.RunContext;
import dev.ferry.runtime.RunPlan;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.StorageFailures;
import dev.ferry.restore.ImportMark;
import dev.ferry.storage.WriterLease;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ferry:preflight}: everything that can fail cheaply, before any byte moves. Connects to
 * source and target with the collected credentials (proving them) and changes nothing anywhere (a
 * missing target database is created by the import), probes server and dump tool versions and, when a
 * later step sets {@code ferry.dump}, applies the version policy (so a misfit fails before the dump,
 * not after it); when one sets {@code ferry.import}, refuses a non-empty target unless {@code clean}
 * is set; when one sets {@code ferry.artifact}, checks no other run holds the writer lease. It checks
 * the bucket answers. What it checks follows from the plan's contracts, not from step ids. The source is left alone when no later step needs it
 * ({@code ferry verify} against the snapshot figures), so a decommissioned source does not stop a verification.
 * Sets {@code ferry.source.version}, {@code ferry.target.version}, {@code ferry.tool.version}.
 */
public final class PreflightStep implements FerryStep {

    public static final Setting TIMEOUT_SECONDS = Setting.integer("preflight.timeoutSeconds", 30,
            "how long preflight waits for the object store to answer");

    public static final StepSpec SPEC = new StepSpec("preflight",
            "connects to both databases (the source alone with sides=source) and the bucket, probes versions and tools, checks the target is empty",
            (settings, options) -> sourceOnly(options)
                    ? StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.STORE), Set.of(Variables.SOURCE_VERSION, Variables.TOOL_VERSION)).alwaysRunning()
                    : StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.STORE),
                            Set.of(Variables.SOURCE_VERSION, Variables.TARGET_VERSION, Variables.TOOL_VERSION)).alwaysRunning(),
            List.of(CollectCredentialsStep.SIDES), List.of(TIMEOUT_SECONDS, RestoreStep.CLEAN));

    /** {@code sides=source}: a run with no target (a backup), as {@link CollectCredentialsStep} collects it. */
    static boolean sourceOnly(java.util.Map<String, String> options) {
        return "source".equals(options.getOrDefault(CollectCredentialsStep.SIDES.key(), CollectCredentialsStep.SIDES.defaultValue()));
    }

    @Override
    public void execute(StepExecution execution) {
        // setting up the S3 SDK takes about 0.3 s of CPU: it happens on another thread while the databases are probed;
        // a failure there is met again, and reported, by the bucket check
        ObjectStoreSettings storage = execution.input(Variables.STORE, ObjectStoreSettings.class);
        RunContext run = execution.run();
        String step = execution.stepId();
        CompletableFuture<S3Client> storageClient = CompletableFuture.supplyAsync(() -> Stores.client(run, storage, step));
        try {
            check(execution);
        } finally {
            // the client is the run's, closed when the run ends: it must be registered before preflight returns
            storageClient.handle((client, failure) -> client).join();
        }
    }

    private static void check(StepExecution execution) {
        if (sourceOnly(execution.options())) {
            checkSourceOnly(execution);
            return;
        }
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine sourceEngine = Engines.forName(source.engine(), step);
        Engine targetEngine = Engines.forName(target.engine(), step);

        // preflight changes nothing: a missing target database is created by the import
        ServerVersion targetVersion = targetEngine.probeTargetServer(target, step);
        execution.figure("target", targetVersion.toString());
        execution.output(Variables.TARGET_VERSION, targetVersion);
        if (!usesSource(execution)) {
            execution.note("source not probed: this run compares the target with the artifact's snapshot figures only");
        } else {
            checkSource(execution, source, sourceEngine, targetVersion);
        }

        checkBucket(execution);

        RunPlan plan = execution.run().plan();
        if (plan.setLater(step, Variables.ARTIFACT)) {
            checkWriterLease(execution, source.database());
        }
        boolean imports = plan.setLater(step, Variables.IMPORT);
        boolean clean = RestoreStep.CLEAN.flag(execution.settings(), step);
        boolean targetExists = targetEngine.databaseExists(target, step);
        String runId = execution.run().runId();
        if (imports && !targetExists) {
            execution.note("target database " + target.describe() + " does not exist yet: the import creates it");
        } else if (imports && ImportMark.of(targetEngine, target, runId, step) == ImportMark.State.COMMITTED) {
            execution.note("target database " + target.describe() + " was committed by this run before it stopped:"
                    + " the import does not restore it again and the smoke test verifies it");
        } else if (imports && ImportMark.stagedComplete(targetEngine, target, runId, step)) {
            execution.note("target database " + target.describe() + " is being filled from this run's complete staging database:"
                    + " the import finishes moving it in, and the smoke test verifies it");
        } else if (imports && ImportMark.of(targetEngine, target, runId, step) == ImportMark.State.IMPORTING) {
            execution.note("target database " + target.describe() + " was left half-imported by an earlier attempt of this run:"
                    + " the import starts it again");
        } else if (imports && !targetEngine.isEmpty(target, step)) {
            if (!clean) {
                throw execution.fail(ErrorCode.TARGET_NOT_EMPTY, "Target database " + target.describe() + " is not empty",
                        "it already holds tables, views, sequences or functions; restoring over them could mix two databases",
                        "Point the migration at an empty database, or set clean: true to drop the objects the dump brings");
            }
            execution.note("target is not empty: clean is set, so the import drops the objects the dump brings first");
        }
        if (!execution.run().dryRun() && !imports && targetExists
                && ImportMark.movedStagingLeft(targetEngine, target, runId, step)) {
            // the import finished and was recorded, but the run died before dropping this; nothing else would
            targetEngine.dropDatabase(target.withDatabase(ImportMark.stagingName(target, runId)), step);
            execution.note("dropped what the finished move left of this run's staging database "
                    + ImportMark.stagingName(target, runId) + " (its run mark and move plan)");
        }

    }

    /** A run without a target (a backup): the source, its dump tool, the bucket and the writer lease. */
    private static void checkSourceOnly(StepExecution execution) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        checkSource(execution, source, Engines.forName(source.engine(), execution.stepId()), null);
        checkBucket(execution);
        if (execution.run().plan().setLater(execution.stepId(), Variables.ARTIFACT)) {
            checkWriterLease(execution, source.database());
        }
    }

    /** @param targetVersion null when the run has no target: only the dump tool is checked against the source */
    private static void checkSource(StepExecution execution, DatabaseEndpoint source, Engine sourceEngine, ServerVersion targetVersion) {
        String step = execution.stepId();
        ServerVersion sourceVersion = sourceEngine.probeServer(source, step);
        ServerVersion toolVersion = sourceEngine.dumpToolVersion(sourceVersion, step);
        execution.figure("source", sourceVersion.toString());
        execution.figure("dumpTool", toolVersion.toString());
        if (execution.run().plan().setLater(step, Variables.DUMP) && execution.run().plan().setLater(step, Variables.IMPORT)) {
            List<String> clashing = sourceEngine.tablesNamedLikeStaging(source, step);
            if (!clashing.isEmpty()) {
                throw execution.fail(ErrorCode.BAD_INPUT, "The source " + source.describe() + " has table(s) named "
                                + String.join(", ", clashing), "the staged import keeps tables of those names for itself in the staging"
                                + " database (its run mark and move plan), so the import could not tell them from the source's",
                        "Rename the table(s) at the source before migrating; nothing was dumped or changed");
            }
        }
        if (execution.run().plan().setLater(step, Variables.DUMP)) {
            // the same rules verify-versions applies to the artifact, checked now so a misfit fails before the dump
            VersionPolicy policy = VersionChecks.policy(execution);
            policy.checkTool(sourceVersion, toolVersion, step);
            if (targetVersion != null) {
                VersionChecks.checkTarget(execution, policy, sourceVersion, targetVersion);
            }
        }
        execution.output(Variables.SOURCE_VERSION, sourceVersion);
        execution.output(Variables.TOOL_VERSION, toolVersion);
    }

    /** Whether any later step of this run needs the source: reads it or its versions (a live comparison reads it). */
    private static boolean usesSource(StepExecution execution) {
        return execution.run().plan().readLater(execution.stepId(), Variables.SOURCE, Variables.SOURCE_VERSION, Variables.TOOL_VERSION);
    }

    /** How long preflight waits for the object store ({@code preflight.timeoutSeconds}, 30 s unless set). */
    static Duration storageDeadline(StepExecution execution) {
        return Duration.ofSeconds(TIMEOUT_SECONDS.intValue(execution.settings(), execution.stepId()));
    }

    public static void checkBucket(StepExecution execution) {
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        S3Client client = Stores.client(execution);
        Duration deadline = storageDeadline(execution);
        try {
            client.headBucket(request -> request.bucket(store.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(deadline).apiCallAttemptTimeout(deadline)));
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            throw execution.fail(ErrorCode.CONNECTION, "Bucket " + store.bucket() + " at " + store.describe()
                            + " did not answer within " + deadline.toSeconds() + " s",
                    "the storage server accepted the connection (or not) but sent no answer in time (preflight.timeoutSeconds "
                            + deadline.toSeconds() + ")",
                    "Check that the storage endpoint is an S3 server and that it is up; raise preflight.timeoutSeconds for a slow link");
        } catch (SdkException e) {
            throw StorageFailures.of(execution.stepId(), "Bucket " + store.bucket() + " at " + store.describe() + " cannot be reached",
                    e, store);
        }
    }

    /** Refuses, before anything is dumped, when another run holds the writer lease of this database's artifacts. */
    private static void checkWriterLease(StepExecution execution, String database) {
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        WriterLease.heldByOther(Stores.client(execution), store, database, execution.run().runId(), execution.stepId())
                .ifPresent(holder -> {
                    throw execution.fail(ErrorCode.RUN_LOCKED, "Another run writes the artifacts of " + database + " under "
                                    + store.describe(), "its writer lease is held by " + holder.describe(),
                            "Wait for that run to end (or its lease to expire), then run again");
                });
    }
}
