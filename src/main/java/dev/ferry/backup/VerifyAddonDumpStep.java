package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.Engines;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;
import dev.ferry.steps.Stores;
import dev.ferry.steps.VersionChecks;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:verify-addon-dump}: finds the add-on's dump {@code backup.addonDump} names in
 * {@code backup.addonDumps} and checks it against the target by the version policy, from what its
 * head says (engine, server and dump tool versions: an add-on's dump has no manifest), before
 * anything touches the target. Sets {@code ferry.addon.dump} and {@code ferry.versions}.
 */
public final class VerifyAddonDumpStep implements FerryStep {

    public static final Setting DUMP = Setting.text("backup.addonDump", "",
            "the add-on's dump to restore, its file name as 'ferry backups list' shows it (ferry backups restore sets it)");

    public static final StepSpec SPEC = StepSpec.of("verify-addon-dump",
            "finds the add-on's dump and checks its engine, server and dump tool versions (from its head) against the target",
            StepSpec.Contract.of(Set.of(Variables.TARGET, Variables.TARGET_VERSION, Variables.STORE),
                    Set.of(Variables.ADDON_DUMP, Variables.VERSION_VERDICT)),
            List.of(), List.of(DUMP, AddonDumps.FOLDER, VersionChecks.POLICY, VersionChecks.ALLOW_CROSS_FLAVOUR));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        String name = execution.settings().require(DUMP.key(), step);
        AddonDumps dumps = AddonDumps.of(execution.settings(), step).orElseThrow(() -> execution.fail(ErrorCode.BAD_INPUT,
                "No folder of the add-on's dumps", AddonDumps.SETTING + " is not set", "Set it to the folder that holds " + name));
        BackupCatalog.Backup dump = BackupCatalog.find(Stores.artifacts(execution), List.of(), java.util.Optional.of(dumps), name,
                "ferry backups list FILE", step);
        if (!BackupCatalog.FOREIGN.equals(dump.state())) {
            throw execution.fail(ErrorCode.BAD_INPUT, name + " is not one of the add-on's dumps", "it is " + dump.state(),
                    "Restore Ferry's own backups with 'ferry backups restore FILE ID'");
        }
        if (dump.engine() == null || dump.serverVersion() == null || dump.toolVersion() == null) {
            throw execution.fail(ErrorCode.VERSION_MISMATCH, "The versions of " + name + " are unknown",
                    "its head names no engine, server version or dump tool version", "Pick a dump pg_dumpall or mariadb-dump made");
        }
        String targetEngine = execution.input(Variables.TARGET, dev.ferry.engine.DatabaseEndpoint.class).engine();
        if (!Engines.forName(dump.engine(), step).name().equals(Engines.forName(targetEngine, step).name())) {
            throw execution.fail(ErrorCode.VERSION_MISMATCH, name + " is a " + dump.engine() + " dump",
                    "the target is a " + targetEngine + " server", "Restore it into a " + dump.engine() + " server");
        }
        String verdict = VersionChecks.checkDump(execution, dump.engine(), dump.serverVersion(), dump.tool(), dump.toolVersion(),
                ", as the dump's head says");
        execution.output(Variables.ADDON_DUMP, dump);
        execution.output(Variables.VERSION_VERDICT, verdict);
    }
}
