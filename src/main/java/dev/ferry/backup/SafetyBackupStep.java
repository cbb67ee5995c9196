package dev.ferry.backup;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.ServerVersion;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;
import dev.ferry.steps.ArtifactInput;
import dev.ferry.steps.DumpJob;
import dev.ferry.steps.DumpStep;
import dev.ferry.steps.Stores;
import dev.ferry.steps.UploadStep;
import dev.ferry.steps.VersionChecks;
import dev.ferry.storage.ArtifactRef;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ferry:safety-backup}: before a restore replaces what the target holds, backs the target up
 * (the dump and upload of a backup, into {@code <prefix>/<target database>/}, read back and checked),
 * so that {@code ferry backups list} shows it and a wrong restore can be undone by restoring it. Takes
 * none when the target is missing or empty, or when {@code restore.safetyBackup} is false. Runs after
 * the version check and before the import, so nothing is dumped for a restore that would be refused.
 * Reads what is restored from {@code ferry.addon.dump} (an add-on's dump) or else the artifact. Sets
 * {@code ferry.safety}.
 */
public final class SafetyBackupStep implements FerryStep {

    public static final Setting ENABLED = Setting.flag("restore.safetyBackup", true,
            "back the target up before a restore replaces what it holds (false: no way back)");

    public static final StepSpec SPEC = StepSpec.of("safety-backup",
            "backs the target up before the restore replaces it (unless it is empty or restore.safetyBackup is false), and checks that backup",
            StepSpec.Contract.of(Set.of(Variables.TARGET, Variables.STORE, Variables.VERSION_VERDICT),
                    Set.of(Variables.SAFETY)), List.of(), List.of(ENABLED));

    @Override
    public void execute(StepExecution execution) throws IOException {
        String step = execution.stepId();
        BackupCatalog.Backup addonDump = execution.optionalInput(Variables.ADDON_DUMP, BackupCatalog.Backup.class);
        String restoring = addonDump != null ? addonDump.id() : ArtifactInput.resolve(execution).folder().name();
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine engine = Engines.forName(target.engine(), step);
        if (!engine.databaseExists(target, step) || engine.isEmpty(target, step)) {
            skip(execution, "the target " + target.describe() + " is empty or missing: the restore replaces nothing");
            return;
        }
        if (!ENABLED.flag(execution.settings(), step)) {
            skip(execution, "restore.safetyBackup is false: what " + target.describe() + " holds now is replaced without a way back");
            return;
        }
        ServerVersion server = engine.probeServer(target, step);
        ServerVersion tool = engine.dumpToolVersion(server, step);
        VersionChecks.policy(execution).checkTool(server, tool, step);
        DumpJob job = DumpStep.prepare(execution, target, server, tool);
        ArtifactRef safety = UploadStep.write(execution, job, Map.of(SafetyBackup.FIGURE, restoring), false);
        CheckArtifactStep.readBack(execution, Stores.artifacts(execution), safety);
        String id = safety.folder().name();
        execution.figure("safetyBackup", id);
        execution.note("safety backup " + id + " of " + target.describe() + " taken and checked (" + safety.uri()
                + "); to undo this restore: ferry backups restore FILE " + id);
        execution.output(Variables.SAFETY, new SafetyBackup(id, safety.uri(), null));
    }

    private static void skip(StepExecution execution, String why) {
        execution.note("no safety backup: " + why);
        execution.output(Variables.SAFETY, new SafetyBackup(null, null, why));
    }
}
