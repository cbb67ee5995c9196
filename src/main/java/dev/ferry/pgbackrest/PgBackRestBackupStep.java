package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.pgbackrest.BackupLabel;
import dev.ferry.pgbackrest.PgBackRestCli;
import dev.ferry.pgbackrest.PgBackRestInfo;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PgBackRestRepository;
import dev.ferry.runtime.Variables;

import java.util.List;

/**
 * {@code ferry:pgbackrest-backup}: {@code pgbackrest backup --type=full} (or {@code diff} /
 * {@code incr} from {@code pgbackrest.backupType}, for repeated rehearsals against the same
 * repository), then reads the new backup's label from the repository. Sets {@code ferry.backup.label}.
 */
public final class PgBackRestBackupStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-backup",
            "runs pgbackrest backup (full unless pgbackrest.backupType says diff or incr) into the repository",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.REPOSITORY), Set.of(Variables.BACKUP_LABEL)), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        PgBackRestRepository repository = execution.input(Variables.REPOSITORY, PgBackRestRepository.class);
        PgBackRestOptions options = PhysicalSteps.options(execution);
        PgBackRestCli cli = PhysicalSteps.cli(execution, options, repository);
        PgBackRestInfo.Backup before = PhysicalSteps.info(execution, cli, options).newest();

        cli.require("backup", List.of("--type=" + options.backupType()), source.password(), options.timeout(),
                "pgbackrest backup failed", "Look at the message above and at " + options.logPath());

        PgBackRestInfo.Backup made = PhysicalSteps.info(execution, cli, options).newest();
        if (made == null || (before != null && made.label().equals(before.label())) || !BackupLabel.isValid(made.label())) {
            throw execution.fail(ErrorCode.REPOSITORY, "pgbackrest backup ended but the repository shows no new backup",
                    "the newest backup is " + (made == null ? "none" : made.label()), "Run pgbackrest info by hand and look at "
                            + options.logPath());
        }
        if (!made.type().equals(options.backupType())) {
            execution.note("asked for a " + options.backupType() + " backup; pgBackRest made a " + made.type()
                    + " one (a diff or incr backup needs an earlier full backup in the repository)");
        }
        execution.bytes(made.size());
        execution.figure("label", made.label());
        execution.figure("type", made.type());
        execution.note("backup " + made.label() + " (" + made.type() + ", " + made.size() + " bytes, " + made.repositorySize()
                + " bytes in the repository)");
        execution.output(Variables.BACKUP_LABEL, made.label());
    }
}
