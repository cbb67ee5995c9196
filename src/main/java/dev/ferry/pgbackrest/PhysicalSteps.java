package dev.ferry.pgbackrest;

import dev.ferry.camel.StepExecution;
import dev.ferry.steps.VersionChecks;

import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.VersionPolicy;
import dev.ferry.engine.Engines;
import dev.ferry.engine.PhysicalServer;
import dev.ferry.pgbackrest.PgBackRestCli;
import dev.ferry.pgbackrest.PgBackRestInfo;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.pgbackrest.PgBackRestRepository;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

import java.nio.file.Path;
import java.util.List;

/** What the physical (pgBackRest) steps share: their options, the version policy, the repository's info. */
public final class PhysicalSteps {

    public static final Setting PG_BIN = Setting.text("restore.pgBin", null,
            "the folder of the PostgreSQL server programs a direct restore uses; default /usr/lib/postgresql/<major>/bin");

    private PhysicalSteps() {
    }

    public static PgBackRestOptions options(StepExecution execution) {
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        return PgBackRestOptions.read(execution.settings(), store.prefix(), execution.stepId());
    }

    /** The local pgBackRest's version ({@code pgbackrest version}), as the tool version of a physical migration. */
    public static ServerVersion toolVersion(StepExecution execution) {
        String version = PgBackRestCli.version(options(execution), execution.stepId());
        return new ServerVersion("pgbackrest", Integer.parseInt(version.split("\\.")[0]), version);
    }

    /** Physical backups restore only into the same major version: any other policy is refused. */
    public static VersionPolicy identicalPolicy(StepExecution execution) {
        VersionPolicy policy = VersionPolicy.fromSetting(VersionChecks.POLICY.choice(execution.settings(), execution.stepId()), execution.stepId());
        if (policy != VersionPolicy.IDENTICAL) {
            throw execution.fail(ErrorCode.BAD_INPUT, "versionPolicy " + policy.name().toLowerCase() + " does not fit a physical backup",
                    "a physical backup holds the source's data files, which only a server of the same major version reads",
                    "Set versionPolicy: identical (the pipeline's default), or migrate with postgres-logical");
        }
        return policy;
    }

    /** The folder of the PostgreSQL server programs a direct restore uses: {@code restore.pgBin}, else Debian's for the major. */
    static Path serverPrograms(StepExecution execution, int major) {
        return Path.of(execution.settings().get(PG_BIN.key(), "/usr/lib/postgresql/" + major + "/bin"));
    }

    /** The stanza db from {@code pgbackrest info --output=json}; a failed command or unreadable output fails. */
    static PgBackRestInfo.Stanza info(StepExecution execution, PgBackRestCli cli, PgBackRestOptions options) {
        PgBackRestCli.Output output = cli.require("info", List.of("--output=json"), null, options.timeout(),
                "pgbackrest info failed", "Check the repository settings and that the object store answers");
        List<PgBackRestInfo.Stanza> stanzas = PgBackRestInfo.parse(output.stdout());
        return stanzas.stream().filter(s -> s.name().equals(PgBackRestOptions.STANZA)).findFirst()
                .orElseThrow(() -> execution.fail(ErrorCode.REPOSITORY, "pgbackrest info shows no stanza "
                        + PgBackRestOptions.STANZA, "it printed " + (stanzas.isEmpty() ? "no readable JSON" : "stanzas "
                        + stanzas.stream().map(PgBackRestInfo.Stanza::name).toList()), "Run the setup step first"));
    }

    static PgBackRestCli cli(StepExecution execution, PgBackRestOptions options, PgBackRestRepository repository) {
        return new PgBackRestCli(options, Path.of(repository.configFile()), execution.stepId());
    }

    public static ServerVersion version(String text) {
        return server().parseVersion(text);
    }

    /** The PostgreSQL server as physical migrations see it, through the engine SPI. */
    public static PhysicalServer server() {
        return Engines.forName("postgresql", null).physicalServer().orElseThrow();
    }
}
