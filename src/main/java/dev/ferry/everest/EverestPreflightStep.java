package dev.ferry.everest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.VersionChecks;
import dev.ferry.steps.PreflightStep;
import dev.ferry.pgbackrest.PhysicalSteps;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.ServerVersion;
import dev.ferry.everest.api.EverestApi;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:everest-preflight}: the preflight of a migration into a new Everest cluster. The
 * target does not exist yet, so nothing probes it: this connects to the source (proving its
 * credentials), probes its version and the dump tool's and applies the version policy to the tool,
 * checks the bucket, and makes every Everest check of {@link EverestChecks} with the source's
 * version (importer, supported engine, config schema, required fields, an engine version that fits)
 * — so a misfit fails before the dump. With Everest's built-in PostgreSQL importer the source is a
 * pgBackRest backup ({@link EverestPhysicalSource}): the tool probed is pgBackRest, the policy is
 * identical, and the backup the pipeline will make must be full. Notes when the cluster exists already (a resumed run adopts
 * it if its import spec is the same). Sets {@code ferry.source.version}, {@code ferry.tool.version},
 * {@code ferry.everest}.
 */
public final class EverestPreflightStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("everest-preflight",
            "connects to the source and the bucket, probes versions, and checks Everest: the importer, its config and "
                    + "required fields, an engine version that fits the source",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.STORE), Set.of(Variables.SOURCE_VERSION, Variables.TOOL_VERSION, Variables.EVEREST)).alwaysRunning(), List.of(), EverestChecks.SETTINGS);

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        Engine engine = Engines.forName(source.engine(), step);
        ServerVersion sourceVersion = engine.probeServer(source, step);
        execution.figure("source", sourceVersion.toString());
        boolean physical = EverestChecks.physical(execution.settings());
        ServerVersion toolVersion;
        if (physical) {
            EverestPhysicalSource.checkBeforeBackup(execution);
            toolVersion = PhysicalSteps.toolVersion(execution);
            execution.figure("pgbackrest", toolVersion.full());
        } else {
            toolVersion = engine.dumpToolVersion(sourceVersion, step);
            execution.figure("dumpTool", toolVersion.toString());
            VersionChecks.policy(execution).checkTool(sourceVersion, toolVersion, step);
        }
        PreflightStep.checkBucket(execution);

        EverestApi api = EverestChecks.api(execution);
        EverestPlan plan = EverestChecks.plan(execution, api, sourceVersion);
        execution.figure("everest", plan.engineType() + " " + plan.engineVersion() + " via " + plan.importer());
        execution.note("Everest (" + api.describe() + "): importer " + plan.importer() + " supports " + plan.engineType()
                + "; engine version " + plan.engineVersion() + " fits source " + sourceVersion + " by policy "
                + EverestChecks.policy(execution).describe() + (plan.config() == null ? "; no config sent (the importer has no schema)"
                : "; config " + plan.config() + " fits the importer's schema"));
        if (api.databaseCluster(plan.namespace(), plan.cluster()).isPresent()) {
            execution.note("DatabaseCluster " + plan.namespace() + "/" + plan.cluster()
                    + " exists already: the import adopts it if its import spec is the same, and refuses it otherwise");
        }
        execution.output(Variables.SOURCE_VERSION, sourceVersion);
        execution.output(Variables.TOOL_VERSION, toolVersion);
        execution.output(Variables.EVEREST, plan);
    }
}
