package dev.ferry.cli;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.testing.CommandLineWatcher;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The MariaDB example and the MariaDB demo, through the real command line. */
class MySqlExamplesTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(1);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void theMariaDbExampleMigratesTheDatabase() {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path state = bed.folder().resolve("mariadb-example");
        CommandLineWatcher watcher = new CommandLineWatcher(List.of(bed.source().password().reveal(), target.password().reveal(),
                bed.s3().secretKey().reveal()));
        FerryProcess.Result result = FerryProcess.run(state, Map.of("SOURCE_MYSQL_PASSWORD", bed.source().password().reveal(),
                        "TARGET_MYSQL_PASSWORD", target.password().reveal(), "AWS_ACCESS_KEY_ID", bed.s3().accessKey(),
                        "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal()),
                List.of("run", MigrationBed.HOME.resolve("examples/mariadb-to-mariadb/migration.camel.yaml").toString(),
                        "--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                        "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                        "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                        "--state-dir", state.toString()), watcher::watch);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("pipeline mysql-logical", "PASSED", "mariadb-dump");
        assertThat(result.output()).as("the example sets import.overlap: false").contains("the import starts after the upload");
        assertThat(result.output()).as("no driver warning about a MySQL-only variable on MariaDB")
                .doesNotContain("information_schema_stats_expiry");
        assertThat(result.output()).doesNotContain(bed.source().password().reveal()).doesNotContain(target.password().reveal());
        assertThat(watcher.programsSeen()).containsAnyOf("mariadb-dump", "mariadb");
        assertThat(watcher.leaks()).isEmpty();
        // options reach the tools through a named pipe in a ferry-mysql-* folder; a folder left by a SIGKILLed run of
        // another test holds only the empty pipe, so what must not exist is a regular file, the form a password could keep
        try (var leftovers = java.nio.file.Files.walk(Path.of(System.getProperty("java.io.tmpdir")), 2)) {
            assertThat(leftovers.filter(java.nio.file.Files::isRegularFile)
                    .filter(p -> p.toString().contains("/ferry-mysql-")).map(Path::toString))
                    .as("option files with passwords are deleted when their command ends")
                    .isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theMariaDbCutoverExampleFreezesSwitchesByItsCommandAndReleases() throws java.io.IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path state = bed.folder().resolve("mariadb-cutover-example");
        Path envFile = java.nio.file.Files.createDirectories(state).resolve("database.env");
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        FerryProcess.Result result = FerryProcess.run(state, Map.of("SOURCE_MYSQL_PASSWORD", bed.source().password().reveal(),
                        "TARGET_MYSQL_PASSWORD", target.password().reveal(), "AWS_ACCESS_KEY_ID", bed.s3().accessKey(),
                        "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal(), "SHOP_DB_ENV_FILE", envFile.toString()),
                List.of("run", MigrationBed.HOME.resolve("examples/mariadb-cutover/migration.camel.yaml").toString(),
                        "--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                        "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                        "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                        "--set", "cutover.window=" + now.minusSeconds(600) + "/" + now.plusSeconds(3600),
                        "--state-dir", state.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("pipeline mysql-cutover", "PASSED", "read-only (SET GLOBAL read_only = ON)",
                "writable again", "summary sent to log:ferry.cutover", "write downtime:");
        assertThat(java.nio.file.Files.readString(envFile)).isEqualTo("DB_HOST=" + target.host() + "\nDB_PORT=" + target.port()
                + "\nDB_NAME=shop\n");
        assertThat(bed.source().queryValue("shop", "SELECT @@GLOBAL.read_only")).isEqualTo("0");
        assertThat(result.output()).doesNotContain(bed.source().password().reveal()).doesNotContain(target.password().reveal());
    }

    @Test
    void theMariaDbDemoRunsEndToEnd() {
        FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("demo"), Map.of(),
                List.of("demo", "--engine", "mysql", "--scale", "1", "--state-dir", bed.folder().resolve("demo-state").toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("pipeline mysql-logical", "PASSED", "Cleaning up");
    }
}
