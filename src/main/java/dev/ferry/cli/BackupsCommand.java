package dev.ferry.cli;

import dev.ferry.backup.AddonDumps;
import dev.ferry.backup.BackupCatalog;
import dev.ferry.backup.BackupMigration;
import dev.ferry.backup.Retention;
import dev.ferry.backup.VerifyAddonDumpStep;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Console;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.runtime.RunOptions;
import dev.ferry.steps.Stores;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.S3ClientFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ferry backups list|restore|prune FILE}: the backups a {@code *-backup} migration made. */
@Command(name = "backups", description = "List, restore and prune the backups of a backup migration (postgres-backup, mysql-backup).",
        subcommands = {BackupsCommand.ListBackups.class, BackupsCommand.Restore.class, BackupsCommand.Prune.class})
final class BackupsCommand implements Runnable {

    static final String STEP = "backups";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** What every {@code ferry backups} command takes first: the backup migration file, and --set overrides. */
    static final class BackupFile {

        @Parameters(index = "0", paramLabel = "FILE", description = "The backup migration file (*.camel.yaml).")
        Path file;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting of the migration (not secrets), for example clean=true.")
        Map<String, String> sets = new LinkedHashMap<>();

        /** What a command does with the store, the backup databases and the add-on's folder (when set). */
        interface Use<T> {
            T apply(ArtifactStore store, List<String> databases, Optional<AddonDumps> addon);
        }

        /** Reads the file's settings (a bad one is exit 2 before anything connects) and hands them to {@code use}. */
        <T> T withStore(CommonOptions common, Use<T> use) {
            return MigrationRunner.withSettings(file, common.home(), sets, (raw, resolved) -> {
                ObjectStoreSettings settings = Stores.settings(raw, resolved, STEP);
                List<String> databases = BackupMigration.databases(resolved, STEP);
                Optional<AddonDumps> addon = AddonDumps.of(resolved, STEP);
                try (S3Client client = S3ClientFactory.create(settings, STEP)) {
                    return use.apply(new ArtifactStore(client, settings), databases, addon);
                }
            });
        }
    }

    @Command(name = "list", description = "The backups under the migration's storage prefix, newest first (exit 0, 2 bad input).")
    static final class ListBackups implements Callable<Integer> {

        @Mixin
        BackupFile backupFile;

        @Option(names = "--json", description = "Print them as a JSON array.")
        boolean json;


        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            Console console = Console.system();
            List<BackupCatalog.Backup> backups = backupFile.withStore(common, (store, databases, addon) ->
                    BackupCatalog.list(store, databases, addon, STEP));
            if (json) {
                console.line(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(backups));
                return FerryCli.DONE;
            }
            console.line(String.format("%-40s %-20s %12s  %-10s %-22s %-22s %s", "ID", "TIME (UTC)", "SIZE", "STATE", "ENGINE",
                    "DUMP TOOL", "DATABASE"));
            for (BackupCatalog.Backup b : backups) {
                console.line(String.format("%-40s %-20s %12d  %-10s %-22s %-22s %s%s", b.id(),
                        b.time().toString().replace('T', ' ').replace("Z", ""), b.bytes(), b.state(),
                        b.engine() == null ? "-" : b.engine() + " " + b.serverVersion(),
                        b.tool() == null ? "-" : b.tool() + " " + b.toolVersion(), b.database(),
                        b.note() == null ? "" : "  (" + b.note() + ")"));
            }
            console.line(backups.size() + " backup(s)");
            return FerryCli.DONE;
        }
    }

    @Command(name = "restore", description = {"Restore one backup into the migration's target, with the full import and verification.",
            "Exit 0 restored and verified, 1 a step failed, 2 bad input."})
    static final class Restore implements Callable<Integer> {

        @Mixin
        BackupFile backupFile;

        @Parameters(index = "1", paramLabel = "ID", description = "The backup's id, as 'ferry backups list' shows it.")
        String id;

        @Mixin
        ReportOptions report;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            if (backupFile.sets.containsKey(PreparedMigration.ARTIFACT_SETTING)) {
                throw new FerryException(ErrorCode.BAD_INPUT, STEP, "--set artifact is not for ferry backups restore",
                        "the backup to restore is the ID argument", "Give the backup's id from 'ferry backups list'");
            }
            Path restoreFile = BackupMigration.restoreFile(backupFile.file, common.home(), common.stateDirectory().resolve("restores"), STEP);
            BackupCatalog.Backup backup = backupFile.withStore(common, (store, databases, addon) ->
                    BackupCatalog.find(store, databases, addon, id, "ferry backups list " + backupFile.file, STEP));
            Map<String, String> restoreSets = new LinkedHashMap<>(backupFile.sets);
            if (BackupCatalog.FOREIGN.equals(backup.state())) {
                restoreFile = BackupMigration.restoreFile(backupFile.file, common.home(), common.stateDirectory().resolve("restores"),
                        BackupMigration.ADDON_RESTORE_SUFFIX, STEP);
                restoreSets.put(VerifyAddonDumpStep.DUMP.key(), backup.id());
            } else {
                restoreSets.put(PreparedMigration.ARTIFACT_SETTING, backup.uri());
            }
            RunOptions options = common.runOptions(restoreSets, null, null, false, null);
            options.console().line("Restoring backup " + backup.id() + " (" + backup.uri() + ")");
            return report.publish(new MigrationRunner(options).run(restoreFile), options.console());
        }
    }

    @Command(name = "prune", description = {"Keep the newest N complete backups and delete the others, except those being written or read.",
            "Exit 0 done, 2 bad input."})
    static final class Prune implements Callable<Integer> {

        @Mixin
        BackupFile backupFile;

        @Option(names = "--keep", paramLabel = "N", required = true, description = "How many complete backups to keep, the newest (1 or more).")
        int keep;


        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            if (keep < 1) {
                throw new FerryException(ErrorCode.BAD_INPUT, STEP, "--keep " + keep + " would delete every backup",
                        "prune keeps the newest N complete backups", "Give --keep 1 or more");
            }
            Console console = Console.system();
            Retention.Result result = backupFile.withStore(common, (store, databases, addon) ->
                    Retention.apply(store, databases.get(0), keep, null, null, STEP));
            result.deleted().forEach(o -> console.line("deleted  " + o.id() + "  (" + o.why() + ")"));
            result.kept().forEach(o -> console.line("kept     " + o.id() + "  (" + o.why() + ")"));
            console.line("kept " + result.kept().size() + ", deleted " + result.deleted().size() + " backup(s) of " + result.database());
            return FerryCli.DONE;
        }
    }
}
