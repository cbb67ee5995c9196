package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.testing.CommandLineWatcher;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real command line on the real example file, with the secrets in the environment, and
 * looks for them everywhere a user or another user of the machine could see them.
 */
class SecretHygieneTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 8);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    static List<String> exampleArguments(String example, LocalPostgres target, Path state) {
        return List.of("run", MigrationBed.HOME.resolve("examples").resolve(example).resolve("migration.camel.yaml").toString(),
                "--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                "--state-dir", state.toString(),
                "--report", state.resolve("report-copy.json").toString(), "--junit", state.resolve("junit.xml").toString());
    }

    static Map<String, String> exampleEnvironment(LocalPostgres target, String targetPassword) {
        return Map.of("SOURCE_PGPASSWORD", bed.source().password().reveal(), "TARGET_PGPASSWORD", targetPassword,
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
    }

    @Test
    void noSecretShowsInCommandLinesLogsJournalOrReports() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.folder().resolve("hygiene");
        List<String> secrets = List.of(bed.source().password().reveal(), target.password().reveal(), bed.s3().secretKey().reveal());
        CommandLineWatcher watcher = new CommandLineWatcher(secrets);

        FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("hygiene-out"),
                exampleEnvironment(target, target.password().reveal()), exampleArguments("postgres-to-postgres", target, state),
                watcher::watch);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("PASSED");
        assertThat(watcher.programsSeen()).as("the watcher saw Ferry's children").containsAnyOf("pg_dump", "pg_restore", "pg_dumpall", "psql");
        assertThat(watcher.leaks()).isEmpty();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(state)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("journal.jsonl", "report.json", "report-copy.json", "junit.xml");
        for (String secret : secrets) {
            assertThat(result.output()).doesNotContain(secret);
            for (Path file : files) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(secret);
            }
        }
        assertThat(Files.readString(state.resolve("report-copy.json"))).contains("placeholder {{env:SOURCE_PGPASSWORD}}");
    }

    @Test
    void aWrongPasswordFailsInPreflightNamingTheUserAndHostButNotThePassword() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.folder().resolve("wrong-password");
        String wrong = "not-the-password-" + System.nanoTime();

        FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("wrong-password-out"), exampleEnvironment(target, wrong),
                exampleArguments("postgres-to-postgres", target, state));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("preflight", "FAILED", "postgres@127.0.0.1:" + target.port());
        assertThat(result.stdout()).doesNotContain("dump                 ok");
        assertThat(result.output()).doesNotContain(wrong).doesNotContain(target.password().reveal());
        assertThat(Files.readString(state.resolve("report-copy.json"))).contains("CREDENTIALS").doesNotContain(wrong);
    }
}
