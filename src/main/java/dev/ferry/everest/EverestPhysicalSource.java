package dev.ferry.everest;

import dev.ferry.camel.StepExecution;
import dev.ferry.steps.Stores;
import dev.ferry.pgbackrest.PhysicalSteps;

import dev.ferry.ErrorCode;
import dev.ferry.credentials.CredentialResolver;
import dev.ferry.pgbackrest.BackupLabel;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.pgbackrest.RepositoryLayout;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.StorageFailures;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A pgBackRest backup as the source of an Everest import through the built-in
 * {@value #BUILT_IN_POSTGRESQL}, which takes the path {@code <repoPath>/backup/db/<label>/}, sets
 * {@code repo1-path=<repoPath>} and restores {@code --set=<label> --type=immediate}. It restores a
 * full backup only, it has no config schema (so no {@code config} is ever sent) and no required
 * fields. What Everest does not check is checked here, before anything is created: the backup is
 * full, it lies in the bucket the cluster will read ({@code backup.manifest} under the path), and the
 * new cluster's admin password is given (a physical restore brings back the source's roles and their
 * passwords, so Everest's user Secret must hold the source's).
 */
public final class EverestPhysicalSource {

    public static final String BUILT_IN_POSTGRESQL = "everest-percona-pg-operator";

    private EverestPhysicalSource() {
    }

    /** Preflight: the backup the pipeline will make must be full, and the admin password must be given. */
    static void checkBeforeBackup(StepExecution execution) {
        PgBackRestOptions options = PhysicalSteps.options(execution);
        if (!"full".equals(options.backupType())) {
            throw notFull(execution, "pgbackrest.backupType is " + options.backupType());
        }
        requirePassword(execution);
    }

    /** The import's checks of {@code ferry.backup}; returns the DataImport path {@code <repoPath>/backup/db/<label>/}. */
    static String check(StepExecution execution, PhysicalBackup backup, ObjectStoreSettings store) {
        String step = execution.stepId();
        if (!BackupLabel.isValid(backup.label()) || !"full".equals(BackupLabel.type(backup.label()))) {
            throw notFull(execution, "backup " + backup.label() + " is " + (BackupLabel.isValid(backup.label())
                    ? "a " + BackupLabel.type(backup.label()) + " backup" : "not a pgBackRest label"));
        }
        if (!backup.bucket().equals(store.bucket())) {
            throw execution.fail(ErrorCode.BAD_INPUT, "Backup " + backup.label() + " is in bucket " + backup.bucket()
                    + ", the import would read bucket " + store.bucket(), null, "Use one storage.bucket for the whole pipeline");
        }
        requirePassword(execution);
        String path = RepositoryLayout.backupPath(backup.repoPath(), backup.label());
        String key = RepositoryLayout.keyPrefix(path) + "backup.manifest";
        try {
            Stores.client(execution).headObject(request -> request.bucket(store.bucket()).key(key));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw StorageFailures.of(step, "Could not read s3://" + store.bucket() + "/" + key, e);
            }
            throw execution.fail(ErrorCode.REPOSITORY, "Backup " + backup.label() + " is not in s3://" + store.bucket() + path + "/",
                    "there is no backup.manifest there, so Everest's importer would find no backup to restore",
                    "Run the backup and info steps again (ferry resume), or check pgbackrest.repoPath");
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not read s3://" + store.bucket() + "/" + key, e);
        }
        execution.note("backup " + backup.label() + " (full, PostgreSQL " + backup.postgresVersion() + ") found at s3://"
                + store.bucket() + path + "/backup.manifest");
        return path + "/";
    }

    private static void requirePassword(StepExecution execution) {
        if (new CredentialResolver(execution.run().rawSettings(), execution.settings()).find("target.password", execution.stepId()) == null) {
            throw execution.fail(ErrorCode.MISSING_INPUT, "A physical import into Everest needs target.password",
                    "the restored cluster keeps the source's roles and passwords, so Everest's user Secret must hold the source's"
                            + " postgres password, or Everest and the smoke test cannot log in",
                    "Set target.passwordFile (or target.password: \"{{env:...}}\") to the source's postgres password");
        }
    }

    private static dev.ferry.FerryException notFull(StepExecution execution, String why) {
        return execution.fail(ErrorCode.BAD_INPUT, "Everest's " + BUILT_IN_POSTGRESQL + " restores full pgBackRest backups only",
                why + "; the importer restores --set=<label> from the path alone", "Set pgbackrest.backupType: full (the default)");
    }
}
