package dev.ferry.pipeline;

import dev.ferry.cli.FerryCli;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mysql-cutover pipeline on real MariaDB servers and a real S3 server, with an application (a
 * user without SUPER, as applications are) writing to the source throughout.
 */
class MySqlCutoverPipelineTest {

    private static final String WRITE = "INSERT INTO cutover_writes (at) VALUES (NOW(6))";
    private static final String APP_PASSWORD = "app-password-1";

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(1);
        bed.source().execute(MigrationBed.DATABASE, "CREATE TABLE cutover_writes (id bigint AUTO_INCREMENT PRIMARY KEY, at datetime(6))");
        bed.source().execute(MigrationBed.DATABASE, "CREATE USER 'app'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'");
        bed.source().execute(MigrationBed.DATABASE, "GRANT SELECT, INSERT ON shop.* TO 'app'@'%'");
    }

    /** A test that failed half-way must not leave the shared source frozen for the next one. */
    @org.junit.jupiter.api.AfterEach
    void thawTheSource() {
        dev.ferry.engine.Engine engine = new dev.ferry.engine.mysql.MySqlEngine();
        if (engine.writesFrozen(bed.source().endpoint(MigrationBed.DATABASE), "test")) {
            engine.releaseWrites(bed.source().endpoint(MigrationBed.DATABASE), "test");
        }
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private static Writer writer() {
        return Writer.start("jdbc:mariadb://" + bed.source().host() + ":" + bed.source().port() + "/" + MigrationBed.DATABASE,
                "app", APP_PASSWORD, WRITE);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theCutoverRefusesTheApplicationsWritesWhileFrozenSwitchesByCommandAndReleasesAfterTheSwitch() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path switched = bed.folder().resolve("switched.txt");
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        parameters.put("cutover.window", now.minus(Duration.ofHours(1)) + "/" + now.plus(Duration.ofHours(1)));
        parameters.put("cutover.afterSwitch", "release");
        parameters.put("switch.command", "echo \"$FERRY_TARGET_HOST:$FERRY_TARGET_PORT/$FERRY_TARGET_DATABASE\" > '" + switched + "'");
        Path file = bed.migration("mariadb-cutover", "mysql-cutover", parameters, null);

        RunReport report;
        try (Writer writer = writer()) {
            assertThat(writer.succeedsAfter(Instant.now(), Duration.ofSeconds(10))).isTrue();

            report = bed.run(file, bed.stateDirectory("mariadb-cutover"), Map.of(), null, null);

            assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
            StepRecord freeze = step(report, "freeze-source");
            StepRecord release = step(report, "release-source");
            assertThat(freeze.notes).anySatisfy(n -> assertThat(n).contains("read-only (SET GLOBAL read_only = ON)"));
            List<Writer.Attempt> frozen = writer.between(freeze.finishedAt, release.startedAt);
            assertThat(frozen).isNotEmpty().allSatisfy(a -> assertThat(a.ok()).as(a.toString()).isFalse());
            assertThat(frozen).anySatisfy(a -> assertThat(a.errorCode()).as(a.toString()).isEqualTo(1290));
            assertThat(release.notes).anySatisfy(n -> assertThat(n).contains("writable again", "cutover.afterSwitch: release"));
            assertThat(writer.succeedsAfter(release.finishedAt, Duration.ofSeconds(10))).as("the application writes again").isTrue();
        }
        assertThat(Files.readString(switched).strip()).isEqualTo(target.host() + ":" + target.port() + "/" + MigrationBed.DATABASE);
        assertThat(step(report, "switch").notes).anySatisfy(n -> assertThat(n).contains("switched: command"));
        assertThat(report.writeDowntimeMs()).isPositive();
        assertThat(bed.source().queryValue(MigrationBed.DATABASE, "SELECT @@GLOBAL.read_only")).isEqualTo("0");
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", bed.stateDirectory("mariadb-cutover").toString(),
                "--home", MigrationBed.HOME.toString())).as("released by the run: nothing left").isZero();
    }

    @Test
    void aFailedSwitchReleasesTheFreeze() {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("switch.command", "echo 'the load balancer said no' >&2; exit 3");
        Path file = bed.migration("mariadb-failed-switch", "mysql-cutover", parameters, null);

        RunReport report = bed.run(file, bed.stateDirectory("mariadb-failed-switch"), Map.of(), null, null);

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(report.error().code()).isEqualTo("SWITCH_FAILED");
        assertThat(report.error().why()).contains("the load balancer said no");
        assertThat(step(report, "release-source").notes).anySatisfy(n -> assertThat(n).contains("writable again", "(the run failed)"));
        assertThat(bed.source().queryValue(MigrationBed.DATABASE, "SELECT @@GLOBAL.read_only")).isEqualTo("0");
    }
}
