package dev.ferry.juju;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.ImportResult;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.juju.CharmedPostgresRestore;
import dev.ferry.pgbackrest.BackupLabel;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ferry:charm-restore}: restores the physical backup into Charmed PostgreSQL
 * ({@code target.juju.application}, with its s3-integrator {@code target.juju.s3Integrator}) through
 * the charm's own restore action, and waits until the charm is active again or reports
 * "Failed to restore backup". The repository must hold stanza db alone: the charm restores the first
 * stanza it finds. Reads {@code ferry.backup}, {@code ferry.store}; sets {@code ferry.import}.
 */
public final class CharmRestoreStep implements FerryStep {

    public static final Setting PARAMS_FOLDER = Setting.text("target.juju.paramsFolder", null,
            "where the restore action's parameter file is written (0600); default the run's folder");

    public static final StepSpec SPEC = StepSpec.of("charm-restore",
            "restores the physical backup through the Charmed PostgreSQL restore action and waits for the application to settle",
            StepSpec.Contract.of(Set.of(Variables.BACKUP, Variables.TARGET, Variables.STORE, Variables.VERSION_VERDICT), Set.of(Variables.IMPORT)), List.of(), dev.ferry.juju.CharmedPostgresRestore.settings(PARAMS_FOLDER));

    @Override
    public void execute(StepExecution execution) {
        PhysicalBackup backup = execution.input(Variables.BACKUP, PhysicalBackup.class);
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        String endpoint = store.endpoint() != null ? store.endpoint().toString() : "https://s3." + store.region() + ".amazonaws.com";
        CharmedPostgresRestore.Repository repository = new CharmedPostgresRestore.Repository(endpoint, backup.bucket(),
                backup.repoPath(), store.region(), store.pathStyle(), store.caBundle(), store.accessKey(), store.secretKey());
        Path paramsFolder = Path.of(execution.settings().get(PARAMS_FOLDER.key(), execution.run().runDirectory().toString()));
        String backupId = BackupLabel.charmBackupId(backup.label());
        CharmedPostgresRestore.Outcome outcome = CharmedPostgresRestore.restore(execution.settings(), repository, backupId,
                paramsFolder, execution.stepId(), execution::note);
        execution.figure("backupId", backupId);
        execution.figure("unit", outcome.unit());
        execution.bytes(backup.size());
        execution.output(Variables.IMPORT, new ImportResult(backup.uri(), outcome.unit() + " (" + outcome.status() + ")",
                List.of(backup.label()), backup.size(), false));
    }
}
