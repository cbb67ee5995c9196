package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.PreflightStep;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.engine.ServerVersion;
import dev.ferry.juju.CharmedPostgresRestore;
import dev.ferry.runtime.RunPlan;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:pgbackrest-preflight}, the physical pipeline's {@code preflight}: connects to the
 * source (proving its credentials), probes its version and the local pgBackRest's, finds the
 * target's PostgreSQL version without needing a running target ({@code target.postgresVersion};
 * the charm's workload version from {@code juju status} for {@code ferry:charm-restore}; the
 * server programs in {@code restore.pgBin} for {@code ferry:pgbackrest-restore}), refuses a
 * different major version before anything is backed up, and checks the bucket answers.
 * Sets {@code ferry.source.version}, {@code ferry.target.version}, {@code ferry.tool.version} (pgBackRest).
 */
public final class PgBackRestPreflightStep implements FerryStep {

    public static final Setting TARGET_POSTGRES_VERSION = Setting.text("target.postgresVersion", null,
            "the target's PostgreSQL version when it cannot be probed (an empty data directory, a charm that is not running)");

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-preflight",
            "connects to the source and the bucket, probes versions and pgBackRest, checks the target can take a physical restore",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.STORE), Set.of(Variables.SOURCE_VERSION, Variables.TARGET_VERSION, Variables.TOOL_VERSION)).alwaysRunning(), List.of(), List.of(TARGET_POSTGRES_VERSION));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ServerVersion sourceVersion = Engines.forName(source.engine(), step).probeServer(source, step);
        ServerVersion toolVersion = PhysicalSteps.toolVersion(execution);
        String pgbackrest = toolVersion.full();
        ServerVersion targetVersion = targetVersion(execution, sourceVersion);
        execution.figure("source", sourceVersion.toString());
        execution.figure("target", targetVersion.toString());
        execution.figure("pgbackrest", pgbackrest);
        PhysicalSteps.identicalPolicy(execution).checkTarget(sourceVersion, targetVersion, false, step);
        PreflightStep.checkBucket(execution);
        execution.output(Variables.SOURCE_VERSION, sourceVersion);
        execution.output(Variables.TARGET_VERSION, targetVersion);
        execution.output(Variables.TOOL_VERSION, toolVersion);
    }

    private static ServerVersion targetVersion(StepExecution execution, ServerVersion sourceVersion) {
        String step = execution.stepId();
        java.util.Optional<String> given = execution.settings().find(TARGET_POSTGRES_VERSION.key());
        if (given.isPresent()) {
            execution.note("target version " + given.get() + " as target.postgresVersion gives it");
            return PhysicalSteps.version(given.get());
        }
        RunPlan.PlannedStep importStep = execution.run().plan().step("import");
        String uri = importStep == null ? "" : importStep.uri();
        if (uri.startsWith("ferry:charm-restore")) {
            String version = CharmedPostgresRestore.workloadVersion(execution.settings(), step);
            execution.note("target version " + version + ": the charm's workload version in juju status");
            return PhysicalSteps.version(version);
        }
        if (uri.startsWith("ferry:pgbackrest-restore")) {
            java.nio.file.Path postgres = PhysicalSteps.serverPrograms(execution, sourceVersion.major()).resolve("postgres");
            ServerVersion version = PhysicalSteps.server().programVersion(postgres, step);
            execution.note("target version " + version.full() + ": " + postgres + " --version");
            return version;
        }
        throw execution.fail(ErrorCode.MISSING_INPUT, "The target's PostgreSQL version is unknown",
                "the import step " + uri + " is not one whose target Ferry can probe before the restore",
                "Set target.postgresVersion to the target's major version, for example 15");
    }
}
