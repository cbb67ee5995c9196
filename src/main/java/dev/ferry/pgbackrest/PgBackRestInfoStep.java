package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.pgbackrest.BackupLabel;
import dev.ferry.pgbackrest.PgBackRestInfo;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PgBackRestRepository;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.pgbackrest.RepositoryLayout;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:pgbackrest-info}: reads {@code pgbackrest info --output=json}. The command exits 0
 * even for a broken repository, so any stanza status other than 0 fails the step with the
 * repository's own message. Finds the backup named by {@code ferry.backup.label} and sets
 * {@code ferry.backup}: label, type, system id, PostgreSQL and pgBackRest versions, size, and the
 * path {@code <repoPath>/backup/db/<label>} that Everest's importer takes.
 */
public final class PgBackRestInfoStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-info",
            "reads pgbackrest info --output=json: any status other than ok fails; the backup's label, system id and versions",
            StepSpec.Contract.of(Set.of(Variables.REPOSITORY, Variables.BACKUP_LABEL), Set.of(Variables.BACKUP)), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        PgBackRestRepository repository = execution.input(Variables.REPOSITORY, PgBackRestRepository.class);
        String label = execution.input(Variables.BACKUP_LABEL, String.class);
        PgBackRestOptions options = PhysicalSteps.options(execution);
        PgBackRestInfo.Stanza stanza = PhysicalSteps.info(execution, PhysicalSteps.cli(execution, options, repository), options);
        if (!stanza.ok()) {
            throw execution.fail(ErrorCode.REPOSITORY, "The repository " + repository.uri() + " is not healthy",
                    "pgbackrest info reports " + stanza.explanation() + " (it exits 0 all the same)",
                    "Do not restore from it: repair or recreate the repository (setup, then a new full backup)");
        }
        PgBackRestInfo.Backup backup = stanza.backup(label);
        if (backup == null || backup.error()) {
            throw execution.fail(ErrorCode.REPOSITORY, "Backup " + label + " is " + (backup == null ? "not in " : "marked failed in ")
                    + repository.uri(), "the repository lists " + stanza.backups().stream().map(PgBackRestInfo.Backup::label).toList(),
                    "Run the backup step again");
        }
        PgBackRestInfo.Database database = stanza.database(backup.databaseId());
        if (database == null) {
            throw execution.fail(ErrorCode.REPOSITORY, "Backup " + label + " names database history id " + backup.databaseId(),
                    "the stanza lists no such database", "Recreate the repository");
        }
        String backupPath = RepositoryLayout.backupPath(repository.repoPath(), label);
        PhysicalBackup result = new PhysicalBackup(label, BackupLabel.type(label), repository.bucket(), repository.repoPath(),
                PgBackRestOptions.STANZA, backupPath, "s3://" + repository.bucket() + backupPath, database.systemId(),
                database.version(), backup.pgbackrestVersion(), backup.size(), backup.repositorySize(), backup.startedAt(),
                backup.stoppedAt());
        execution.figure("label", label);
        execution.figure("systemId", database.systemId());
        execution.figure("postgresVersion", database.version());
        execution.figure("pgbackrestVersion", backup.pgbackrestVersion());
        execution.figure("backupPath", backupPath);
        execution.note("backup " + label + " at " + result.uri() + ": PostgreSQL " + database.version() + ", system id "
                + database.systemId() + ", made by pgBackRest " + backup.pgbackrestVersion() + "; repository status ok");
        execution.output(Variables.BACKUP, result);
    }
}
