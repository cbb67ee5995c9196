package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.VersionChecks;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.ServerVersion;
import dev.ferry.pgbackrest.PgBackRestRepository;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.runtime.RunPlan;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:pgbackrest-verify-versions}: policy identical. The backup's PostgreSQL major version
 * must be the target's, and its system id the source cluster's (so the repository's stanza is the
 * source's, not a leftover). The report names the pgBackRest versions at both ends.
 * Reads {@code ferry.backup}, {@code ferry.target.version}, {@code ferry.repository}; sets {@code ferry.versions}.
 */
public final class PgBackRestVerifyVersionsStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-verify-versions",
            "checks the backup's PostgreSQL major version is the target's (versionPolicy identical) and its system id the source's",
            StepSpec.Contract.of(Set.of(Variables.BACKUP, Variables.TARGET_VERSION, Variables.REPOSITORY), Set.of(Variables.VERSION_VERDICT)), List.of(), List.of(VersionChecks.POLICY));

    @Override
    public void execute(StepExecution execution) {
        PhysicalBackup backup = execution.input(Variables.BACKUP, PhysicalBackup.class);
        ServerVersion target = execution.input(Variables.TARGET_VERSION, ServerVersion.class);
        PgBackRestRepository repository = execution.input(Variables.REPOSITORY, PgBackRestRepository.class);
        ServerVersion source = PhysicalSteps.version(backup.postgresVersion());
        PhysicalSteps.identicalPolicy(execution).checkTarget(source, target, false, execution.stepId());
        if (!backup.systemId().equals(repository.systemId())) {
            throw execution.fail(ErrorCode.VERSION_MISMATCH, "Backup " + backup.label() + " is not of the source cluster",
                    "its system id is " + backup.systemId() + ", the source's is " + repository.systemId(),
                    "Use a repository path holding only the source's stanza");
        }
        ServerVersion restoreTool = execution.optionalInput(Variables.TOOL_VERSION, ServerVersion.class);
        RunPlan.PlannedStep importStep = execution.run().plan().step("import");
        String restoringEnd = importStep != null && importStep.uri().startsWith("ferry:charm-restore") ? "the charm's own pgBackRest"
                : restoreTool == null ? "unknown" : "pgBackRest " + restoreTool.full();
        execution.figure("systemId", backup.systemId());
        execution.figure("pgbackrestBackup", backup.pgbackrestVersion());
        execution.figure("pgbackrestRestore", restoringEnd);
        String verdict = "policy identical: backup " + backup.label() + " (PostgreSQL " + backup.postgresVersion() + ", system id "
                + backup.systemId() + ", made by pgBackRest " + backup.pgbackrestVersion() + ") fits target " + target
                + "; restored by " + restoringEnd;
        execution.note(verdict);
        execution.output(Variables.VERSION_VERDICT, verdict);
    }
}
