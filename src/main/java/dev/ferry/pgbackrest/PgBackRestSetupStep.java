package dev.ferry.pgbackrest;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.Stores;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.ServerVersion;
import dev.ferry.pgbackrest.ArchiveSettings;
import dev.ferry.pgbackrest.PgBackRestCli;
import dev.ferry.pgbackrest.PgBackRestConfig;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PgBackRestRepository;
import dev.ferry.pgbackrest.RepositoryLayout;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry:pgbackrest-setup}: refuses a repository path that holds another stanza, checks the
 * source's archive settings (failing with what to set, or, with {@code pgbackrest.configureArchiving},
 * applying them by ALTER SYSTEM and a reload, and a restart through {@code pgbackrest.restartCommand}
 * when archive_mode or wal_level change), writes the configuration (0600, keys inside, owned by the
 * pgBackRest user), then {@code stanza-create} and {@code check}. Sets {@code ferry.repository}.
 */
public final class PgBackRestSetupStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("pgbackrest-setup",
            "writes the pgBackRest configuration (0600), checks or applies the source's archive settings, stanza-create, check",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.STORE, Variables.SOURCE_VERSION), Set.of(Variables.REPOSITORY)), List.of(), dev.ferry.pgbackrest.PgBackRestOptions.SETTINGS);

    private static final List<String> CLUSTER_SETTINGS = List.of("data_directory", "port", "unix_socket_directories");

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        ServerVersion sourceVersion = execution.input(Variables.SOURCE_VERSION, ServerVersion.class);
        PgBackRestOptions options = PhysicalSteps.options(execution);

        RepositoryLayout.requireOnlyOurStanza(Stores.client(execution), store.bucket(), options.repoPath(), step);
        List<String> names = new ArrayList<>(CLUSTER_SETTINGS);
        names.addAll(ArchiveSettings.NAMES);
        Map<String, String> server = PhysicalSteps.server().settings(source, names, step);
        ensureArchiving(execution, source, options, ArchiveSettings.of(server));

        Path dataDirectory = Path.of(execution.settings().get(PgBackRestOptions.PG_PATH.key(), server.get("data_directory")));
        String socket = execution.settings().get(PgBackRestOptions.SOCKET_PATH.key(),
                Arrays.stream(server.getOrDefault("unix_socket_directories", "").split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).findFirst().orElse("/var/run/postgresql"));
        Path config = PgBackRestConfig.write(execution.run().home(), options.configFile(), store, options,
                new PgBackRestConfig.Cluster(dataDirectory, Integer.valueOf(server.get("port")), socket, source.user()), step);
        execution.note("configuration " + config + " (mode 0600" + (options.osUser() == null ? "" : ", owner " + options.osUser())
                + ") for s3://" + store.bucket() + options.repoPath() + ", stanza " + PgBackRestOptions.STANZA + ", pg1-path " + dataDirectory);

        PgBackRestCli cli = new PgBackRestCli(options, config, step);
        cli.require("stanza-create", List.of(), source.password(), options.timeout(), "pgbackrest stanza-create failed",
                "If the stanza exists for another cluster (another system id), use another pgbackrest.repoPath");
        cli.require("check", List.of(), source.password(), options.timeout(), "pgbackrest check failed",
                "check archives one WAL segment through archive_command: look at the server log and " + options.logPath());
        String systemId = PhysicalSteps.server().systemIdentifier(source, step);
        String version = PgBackRestCli.version(options, step);
        execution.figure("systemId", systemId);
        execution.figure("repository", RepositoryLayout.uri(store.bucket(), options.repoPath()));
        execution.note("stanza " + PgBackRestOptions.STANZA + " created and checked: WAL archiving reaches the repository");
        execution.output(Variables.REPOSITORY, new PgBackRestRepository(RepositoryLayout.uri(store.bucket(), options.repoPath()),
                store.bucket(), options.repoPath(), PgBackRestOptions.STANZA, config.toString(), systemId,
                Integer.toString(sourceVersion.major()), version));
    }

    private static void ensureArchiving(StepExecution execution, DatabaseEndpoint source, PgBackRestOptions options,
                                        ArchiveSettings current) {
        String step = execution.stepId();
        execution.figure("archiveSettings", current.describe());
        if (current.ready(options)) {
            execution.note("archive settings ready: " + current.describe());
            return;
        }
        Map<String, String> changes = current.changes(options);
        String wanted = changes.entrySet().stream().map(e -> e.getKey() + " = '" + e.getValue() + "'").reduce((a, b) -> a + ", " + b).orElse("");
        if (!options.configureArchiving()) {
            throw execution.fail(ErrorCode.ARCHIVING, "The source does not archive WAL to pgBackRest",
                    "it has " + current.describe() + "; a physical backup needs " + wanted,
                    "Set them in postgresql.conf (" + (current.changeNeedsRestart() ? "then restart the server" : "then reload")
                            + "), or set pgbackrest.configureArchiving: true to let Ferry apply them with ALTER SYSTEM");
        }
        PhysicalSteps.server().alterSystemAndReload(source, changes, step);
        execution.note("applied with ALTER SYSTEM and a reload: " + wanted);
        if (!current.changeNeedsRestart()) {
            return;
        }
        if (options.restartCommand() == null) {
            throw execution.fail(ErrorCode.ARCHIVING, "The archive settings are written but wait for a server restart",
                    "ALTER SYSTEM stored " + wanted + "; wal_level and archive_mode take effect only when the server restarts",
                    "Restart the source server (for example systemctl restart postgresql), then run again;"
                            + " or set pgbackrest.restartCommand for Ferry to run");
        }
        restart(execution, source, options);
        ArchiveSettings after = ArchiveSettings.of(PhysicalSteps.server().settings(source, ArchiveSettings.NAMES, step));
        if (!after.ready(options)) {
            throw execution.fail(ErrorCode.ARCHIVING, "The source still does not archive WAL to pgBackRest after the restart",
                    "it has " + after.describe(), "Check postgresql.conf for settings overriding postgresql.auto.conf");
        }
    }

    private static void restart(StepExecution execution, DatabaseEndpoint source, PgBackRestOptions options) {
        String step = execution.stepId();
        List<String> argv = Arrays.stream(options.restartCommand().trim().split("\\s+")).toList();
        ChildProcess.run(ChildCommand.of(argv.get(0)).args(argv.subList(1, argv.size())).build(), step, Duration.ofMinutes(5));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            try {
                PhysicalSteps.server().settings(source, List.of("archive_mode"), step);
                execution.note("restarted the source with: " + options.restartCommand());
                return;
            } catch (RuntimeException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw execution.fail(ErrorCode.CONNECTION, "The source did not come back after " + options.restartCommand(),
                            e.getMessage(), "Look at the server log and start it by hand");
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
