package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.DerivedMigrationFile;
import dev.ferry.runtime.MigrationFile;
import dev.ferry.runtime.PipelineCatalog;
import dev.ferry.runtime.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration of a {@code *-backup} pipeline as {@code ferry backups} sees it: the databases whose
 * folders hold its backups (the source's, and the target's when it differs: a restore's safety backup
 * of the target goes there), and the restore pipeline {@code <pipeline>-restore} beside it.
 */
public final class BackupMigration {

    public static final String RESTORE_SUFFIX = "-restore";
    /** The pipeline beside {@code <pipeline>-restore} that restores one of a hosting add-on's dumps. */
    public static final String ADDON_RESTORE_SUFFIX = "-addon-restore";

    private BackupMigration() {
    }

    public static List<String> databases(Settings resolved, String step) {
        List<String> databases = new ArrayList<>(List.of(resolved.require("source.database", step)));
        resolved.find("target.database").filter(d -> !d.isBlank() && !databases.contains(d)).ifPresent(databases::add);
        return databases;
    }

    /** Writes the migration's restore twin into {@code folder}; refuses a migration whose pipeline has no restore pipeline. */
    public static Path restoreFile(Path file, Path home, Path folder, String step) {
        return restoreFile(file, home, folder, RESTORE_SUFFIX, step);
    }

    /** As {@link #restoreFile(Path, Path, Path, String)}, for the pipeline {@code <pipeline><suffix>}. */
    public static Path restoreFile(Path file, Path home, Path folder, String suffix, String step) {
        MigrationFile migration = MigrationFile.read(file);
        String restore = migration.pipelineId() + suffix;
        if (!PipelineCatalog.load(home).all().containsKey(restore)) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, file.getFileName() + " is a migration of pipeline "
                    + migration.pipelineId() + ", which has no restore pipeline " + restore,
                    "ferry backups restore works on the backup pipelines (postgres-backup, mysql-backup)",
                    "Restore another migration's artifact with 'ferry run FILE --from verify-versions --set artifact=s3://...'");
        }
        return DerivedMigrationFile.write(file, restore, suffix, folder);
    }
}
