package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.pgbackrest.PgBackRestCli;
import dev.ferry.pgbackrest.PgBackRestConfig;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ferry:pgbackrest-restore}, the physical pipeline's default {@code import}: restores the
 * backup into an empty data directory ({@code restore.dataDirectory}) with {@code pgbackrest restore
 * --set=<label> --type=immediate --target-action=promote}, starts a server on it with the programs
 * in {@code restore.pgBin} on the target's port (archiving off, so the copy never pushes WAL into
 * the source's repository), and waits until it has left recovery. Sets {@code ferry.import}.
 */
public final class PgBackRestRestoreStep implements FerryStep {

    public static final Setting DATA_DIRECTORY = Setting.text("restore.dataDirectory", null, "the empty data directory the backup is restored into");
    public static final Setting CONFIG_FILE = Setting.text("restore.configFile", null,
            "the pgBackRest configuration the restore writes; default ferry-restore.conf beside pgbackrest.configFile");
    public static final Setting SOCKET_DIRECTORY = Setting.text("restore.socketDirectory", null,
            "where the restored server puts its socket; default the data directory");
    public static final Setting START = Setting.flag("restore.start", true, "start the restored server, wait for recovery and check it");
    public static final Setting START_TIMEOUT_SECONDS = Setting.integer("restore.startTimeoutSeconds", 600,
            "how long the restored server may take to finish recovery and accept connections");
    public static final Setting SERVER_OPTIONS = Setting.text("restore.serverOptions", "", "more options for the restored server (pg_ctl -o)");

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-restore",
            "restores the physical backup into an empty data directory (pgbackrest restore), starts it and waits for recovery",
            StepSpec.Contract.of(Set.of(Variables.BACKUP, Variables.TARGET, Variables.STORE, Variables.VERSION_VERDICT), Set.of(Variables.IMPORT)), List.of(),
            List.of(DATA_DIRECTORY, CONFIG_FILE, SOCKET_DIRECTORY, START, START_TIMEOUT_SECONDS, SERVER_OPTIONS, PhysicalSteps.PG_BIN));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        PhysicalBackup backup = execution.input(Variables.BACKUP, PhysicalBackup.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        PgBackRestOptions base = PhysicalSteps.options(execution);
        Path dataDirectory = Path.of(execution.settings().require(DATA_DIRECTORY.key(), step)).toAbsolutePath();
        Path configFile = Path.of(execution.settings().get(CONFIG_FILE.key(),
                base.configFile().resolveSibling("ferry-restore.conf").toString()));
        PgBackRestOptions options = base.withRepoPath(backup.repoPath()).withConfigFile(configFile);
        Path programs = PhysicalSteps.serverPrograms(execution, PhysicalSteps.version(backup.postgresVersion()).major());
        String socket = execution.settings().get(SOCKET_DIRECTORY.key(), dataDirectory.toString());

        prepareEmpty(execution, dataDirectory, options.osUser());
        PgBackRestConfig.write(execution.run().home(), configFile, store, options,
                new PgBackRestConfig.Cluster(dataDirectory, target.port(), socket, null), step);
        PgBackRestCli cli = new PgBackRestCli(options, configFile, step);
        cli.require("restore", List.of("--set=" + backup.label(), "--type=immediate", "--target-action=promote"), null,
                options.timeout(), "pgbackrest restore failed", "Look at the message above and at " + options.logPath());
        execution.bytes(backup.size());
        execution.note("restored " + backup.label() + " from " + backup.uri() + " into " + dataDirectory);

        if (!START.flag(execution.settings(), step)) {
            execution.note("restore.start is false: start the server on " + dataDirectory + " yourself; the smoke test needs it");
        } else {
            start(execution, options, programs, dataDirectory, target, socket);
        }
        execution.output(Variables.IMPORT, new dev.ferry.steps.ImportResult(backup.uri(), target.describe(),
                List.of(backup.label()), backup.size(), false));
    }

    private static void prepareEmpty(StepExecution execution, Path dataDirectory, String osUser) {
        try {
            if (Files.isDirectory(dataDirectory)) {
                try (Stream<Path> entries = Files.list(dataDirectory)) {
                    if (entries.findAny().isPresent()) {
                        throw execution.fail(ErrorCode.TARGET_NOT_EMPTY, "Data directory " + dataDirectory + " is not empty",
                                "a physical restore writes a whole cluster and must not mix it with another",
                                "Point restore.dataDirectory at an empty or missing folder");
                    }
                }
            } else {
                Files.createDirectories(dataDirectory);
            }
            Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
            PgBackRestConfig.giveTo(osUser, dataDirectory);
        } catch (IOException e) {
            throw execution.fail(ErrorCode.INTERNAL, "Could not prepare " + dataDirectory, e.getMessage(),
                    "Check that its parent exists and is writable");
        }
    }

    private static void start(StepExecution execution, PgBackRestOptions options, Path programs, Path dataDirectory,
                              DatabaseEndpoint target, String socket) {
        String step = execution.stepId();
        int seconds = START_TIMEOUT_SECONDS.intValue(execution.settings(), step);
        List<String> argv = new ArrayList<>();
        if (options.osUser() != null) {
            argv.addAll(List.of("runuser", "-u", options.osUser(), "--"));
        }
        String serverOptions = "-p " + target.port() + " -k " + socket + " -c listen_addresses=" + target.host()
                + " -c archive_mode=off " + SERVER_OPTIONS.text(execution.settings());
        argv.addAll(List.of(programs.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(),
                "-l", dataDirectory.resolve("ferry-start.log").toString(), "-w", "-t", Integer.toString(seconds),
                "-o", serverOptions.trim(), "start"));
        ChildProcess.run(ChildCommand.of(argv.get(0)).args(argv.subList(1, argv.size())).build(), step,
                Duration.ofSeconds(seconds + 30L));
        Instant deadline = Instant.now().plusSeconds(seconds);
        FerryException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (!PhysicalSteps.server().inRecovery(target, step)) {
                    execution.note("started PostgreSQL on " + target.host() + ":" + target.port() + " from " + dataDirectory
                            + " (" + programs + "); recovery ended and the server was promoted");
                    return;
                }
            } catch (FerryException e) {
                last = e;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw execution.fail(ErrorCode.RESTORE_FAILED, "The restored server did not leave recovery in " + seconds + " s",
                last == null ? "it is still replaying WAL" : last.getMessage(),
                "Look at " + dataDirectory.resolve("ferry-start.log") + " and the server log");
    }
}
