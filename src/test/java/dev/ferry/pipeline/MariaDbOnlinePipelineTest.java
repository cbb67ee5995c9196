package dev.ferry.pipeline;

import dev.ferry.cli.FerryCli;
import dev.ferry.engine.Engine;
import dev.ferry.engine.mysql.MySqlEngine;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.CaptureLedger;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Halt;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.OnceSql;
import dev.ferry.testing.Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mysql-online pipeline on real MariaDB servers (the source with a ROW binary log, the two with
 * distinct server ids) and a real S3 server, with an application (a user without SUPER, as
 * applications are) writing to the source the whole time: inserts and a sequence's NEXTVAL.
 */
class MariaDbOnlinePipelineTest {

    private static final String DATABASE = MigrationBed.DATABASE;
    private static final String APP_PASSWORD = "app-password-2";
    private static final String WRITE = "INSERT INTO online_writes (at) VALUES (NOW(6))";
    private static final String NEXT_INVOICE = "SELECT NEXTVAL(invoice_number)";

    static MigrationBed bed;
    static LocalMariaDb target;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(1, List.of("--log-bin=mariadb-bin", "--binlog-format=ROW", "--server-id=1"));
        source().execute(DATABASE, "CREATE TABLE online_writes (id bigint AUTO_INCREMENT PRIMARY KEY, at datetime(6))");
        source().execute(DATABASE, "CREATE USER 'app'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'");
        source().execute(DATABASE, "GRANT SELECT, INSERT ON shop.* TO 'app'@'%'");
        target = bed.newMariaDbTarget(List.of("--server-id=2"));
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    /** Each test starts with a writable source and an empty target. */
    @AfterEach
    void thawAndEmpty() {
        Engine engine = new MySqlEngine();
        if (engine.writesFrozen(source().endpoint(DATABASE), "test")) {
            engine.releaseWrites(source().endpoint(DATABASE), "test");
        }
        target.execute("mysql", "DROP DATABASE IF EXISTS " + DATABASE);
    }

    private static LocalMariaDb source() {
        return (LocalMariaDb) bed.source();
    }

    private static Writer writer(String sql) {
        return Writer.start("jdbc:mariadb://" + source().host() + ":" + source().port() + "/" + DATABASE, "app", APP_PASSWORD, sql);
    }

    private static Map<String, String> parameters(Map<String, String> extra) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("switch.command", "true");
        parameters.putAll(extra);
        return parameters;
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    /** The target's replication connections (SHOW ALL SLAVES STATUS). */
    private static List<String> replications() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:mariadb://" + target.host() + ":" + target.port() + "/mysql",
                target.superuser(), target.password().reveal());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SHOW ALL SLAVES STATUS")) {
            List<String> names = new java.util.ArrayList<>();
            while (result.next()) {
                names.add(result.getString("Connection_name"));
            }
            return names;
        }
    }

    private static void nothingLeftBehind() throws SQLException {
        assertThat(replications()).as("replication connections on the target").isEmpty();
    }

    private static String both(String sql) {
        String onSource = source().queryValue(DATABASE, sql);
        assertThat(target.queryValue(DATABASE, sql)).as(sql).isEqualTo(onSource);
        return onSource;
    }

    @Test
    void theSourceTakesWritesUntilTheFreezeAndTheTargetEqualsItAtTheSwitch() throws Exception {
        RunReport report;
        Writer writer = writer(WRITE);
        try (Writer invoices = writer(NEXT_INVOICE)) {
            assertThat(writer.succeedsAfter(Instant.now(), Duration.ofSeconds(10))).isTrue();
            // right after the freeze, a transaction that rolls back (an administrator's: read_only does not hold SUPER off)
            // advances the source's AUTO_INCREMENT counter only: the binary log does not carry it
            Path file = bed.migration("online", "mysql-online", parameters(Map.of("step.freeze-source", "direct:freeze-then-roll-back")),
                    """
                    - route:
                        id: freeze-then-roll-back
                        from:
                          uri: "direct:freeze-then-roll-back"
                          steps:
                            - to: "ferry:freeze-source"
                            - to: "class:dev.ferry.testing.OnceSql?method=run"
                    """);
            OnceSql.arm("jdbc:mariadb://" + source().host() + ":" + source().port() + "/" + DATABASE + "?allowMultiQueries=true",
                    source().superuser(), source().password().reveal(),
                    "START TRANSACTION; INSERT INTO online_writes (at) VALUES (NOW(6)), (NOW(6)); ROLLBACK");

            report = bed.run(file, bed.stateDirectory("online"), Map.of(), null, null);

            assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
            assertThat(invoices.between(report.startedAt(), step(report, "freeze-source").startedAt))
                    .isNotEmpty().allSatisfy(a -> assertThat(a.ok()).as(a.toString()).isTrue());
        } finally {
            writer.close();
        }
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("collect-credentials", "preflight", "online-preflight",
                "capture-changes", "dump", "upload", "verify-versions", "import", "smoke-test", "follow", "catch-up", "freeze-source",
                "drain", "sync-sequences", "verify", "switch", "release-source", "stop-following", "notify");
        assertThat(report.steps()).allSatisfy(s -> assertThat(s.status).as(s.id).isEqualTo(StepRecord.Status.PASSED));
        StepRecord freeze = step(report, "freeze-source");
        // the application wrote through the copy and the catch-up, and was refused from the freeze on
        List<Writer.Attempt> beforeFreeze = writer.between(report.startedAt(), freeze.startedAt);
        assertThat(beforeFreeze).isNotEmpty().allSatisfy(a -> assertThat(a.ok()).as(a.toString()).isTrue());
        assertThat(writer.between(step(report, "dump").startedAt, step(report, "catch-up").finishedAt))
                .anySatisfy(a -> assertThat(a.ok()).isTrue());
        List<Writer.Attempt> frozen = writer.between(freeze.finishedAt, report.finishedAt());
        assertThat(frozen).isNotEmpty().allSatisfy(a -> assertThat(a.ok()).as(a.toString()).isFalse());
        // the target holds every write the source accepted, the sequence's state and the AUTO_INCREMENT counter
        long written = Long.parseLong(both("SELECT count(*) FROM online_writes"));
        assertThat(written).isGreaterThanOrEqualTo(beforeFreeze.size());
        both("SELECT max(id) FROM online_writes");
        both("SELECT next_not_cached_value FROM invoice_number");
        String counter = "SELECT auto_increment FROM information_schema.tables WHERE table_schema = '" + DATABASE
                + "' AND table_name = 'online_writes'";
        assertThat(Long.parseLong(both(counter))).as("the rolled-back insert advanced the source's counter past max(id) + 1")
                .isGreaterThan(Long.parseLong(source().queryValue(DATABASE, "SELECT max(id) + 1 FROM online_writes")));

        StepRecord summary = step(report, "stop-following");
        assertThat(summary.figures).containsKeys("copyMs", "catchUpMs", "lagAtFreezeTransactions", "writeDowntimeMs");
        assertThat(step(report, "upload").figures).containsKey("streamStart");
        String timings = report.steps().stream().map(s -> s.id + " " + s.durationMs + " ms " + s.figures).toList().toString();
        System.out.println("mysql-online steps: " + timings);
        assertThat(report.writeDowntimeMs()).as(timings).isPositive()
                .isEqualTo(((Number) summary.figures.get("writeDowntimeMs")).longValue())
                .isLessThan(15_000);
        assertThat(((Number) step(report, "catch-up").figures.get("lagTransactions")).longValue()).isLessThanOrEqualTo(100);
        Path runFolder = bed.stateDirectory("online").resolve("runs").resolve(report.runId());
        try (Stream<Path> files = Files.list(runFolder)) {
            for (Path kept : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(kept)).as(kept.toString()).doesNotContain(source().password().reveal())
                        .doesNotContain(target.password().reveal());
            }
        }
        assertThat(target.logTail()).as("the replication's password must not reach the target's log")
                .doesNotContain(source().password().reveal());
        System.out.println("mysql-online: " + summary.notes + " drain " + step(report, "drain").figures
                + " verify " + step(report, "verify").durationMs + " ms");
        nothingLeftBehind();
        assertThat(CaptureLedger.outstanding(RunJournal.read(runFolder))).isEmpty();
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", bed.stateDirectory("online").toString(),
                "--home", MigrationBed.HOME.toString())).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "upload", "import", "smoke-test", "follow", "catch-up", "freeze-source", "drain",
            "sync-sequences", "verify", "switch"})
    void aFailureAtAnyStepLeavesNoReplicationAndAWritableSource(String failing) throws Exception {
        Path file = bed.migration("failing-" + failing, "mysql-online", parameters(Map.of("step." + failing, "direct:step-that-fails",
                "storage.prefix", "failing-" + failing)), """
                - route:
                    id: step-that-fails
                    from:
                      uri: "direct:step-that-fails"
                      steps:
                        - to: "ferry:assert?on=source&sql=RAW(SELECT count(*) FROM online_writes WHERE id < 0)&expect=1"
                """);
        RunReport report;
        try (Writer writer = writer(WRITE)) {
            report = bed.run(file, bed.stateDirectory("failing-" + failing), Map.of(), null, null);
        }

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(report, failing).status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(report, "stop-following").status).as(step(report, "stop-following").notes.toString())
                .isEqualTo(StepRecord.Status.PASSED);
        assertThat(step(report, "release-source").status).isEqualTo(StepRecord.Status.PASSED);
        nothingLeftBehind();
        assertThat(new MySqlEngine().writesFrozen(source().endpoint(DATABASE), "test")).isFalse();
    }

    /** A row changed on the target behind the replication's back: the verification after the drain fails and nothing is switched. */
    @Test
    void aTargetThatDiffersFromTheFrozenSourceIsNotSwitched() throws Exception {
        Path file = bed.migration("differs", "mysql-online", parameters(Map.of("step.verify", "direct:tamper-then-verify",
                "storage.prefix", "differs")), """
                - route:
                    id: tamper-then-verify
                    from:
                      uri: "direct:tamper-then-verify"
                      steps:
                        - to: "class:dev.ferry.testing.OnceSql?method=run"
                        - to: "ferry:smoke-test?against=live"
                """);
        OnceSql.arm("jdbc:mariadb://" + target.host() + ":" + target.port() + "/" + DATABASE, target.superuser(),
                target.password().reveal(), "UPDATE products SET price = price + 1 ORDER BY id LIMIT 1");
        RunReport report;
        try (Writer writer = writer(WRITE)) {
            report = bed.run(file, bed.stateDirectory("differs"), Map.of(), null, null);
        }

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(report, "verify").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(report.error().code()).isEqualTo("SMOKE_TEST_MISMATCH");
        assertThat(report.differences()).anySatisfy(d -> assertThat(d).contains("products"));
        assertThat(step(report, "switch").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(new MySqlEngine().writesFrozen(source().endpoint(DATABASE), "test")).as("the freeze is released").isFalse();
        nothingLeftBehind();
    }

    /** Unlike PostgreSQL's logical replication, MariaDB's replicates a schema change: the target applies it and equals the source. */
    @Test
    void aSchemaChangeDuringTheCatchUpReachesTheTarget() throws Exception {
        Path file = bed.migration("ddl", "mysql-online", parameters(Map.of("step.catch-up", "direct:ddl-then-catch-up",
                "storage.prefix", "ddl")), """
                - route:
                    id: ddl-then-catch-up
                    from:
                      uri: "direct:ddl-then-catch-up"
                      steps:
                        - to: "class:dev.ferry.testing.OnceSql?method=run"
                        - to: "ferry:catch-up"
                """);
        OnceSql.arm("jdbc:mariadb://" + source().host() + ":" + source().port() + "/" + DATABASE, source().superuser(),
                source().password().reveal(), "ALTER TABLE customers ADD COLUMN loyalty_tier varchar(10) NULL DEFAULT 'none'");
        RunReport report;
        try (Writer writer = writer(WRITE)) {
            report = bed.run(file, bed.stateDirectory("ddl"), Map.of(), null, null);
        } finally {
            source().execute(DATABASE, "ALTER TABLE customers DROP COLUMN IF EXISTS loyalty_tier");
        }

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        assertThat(target.queryValue(DATABASE, "SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + DATABASE
                + "' AND table_name = 'customers' AND column_name = 'loyalty_tier'")).isEqualTo("1");
        nothingLeftBehind();
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", bed.stateDirectory("ddl").toString(),
                "--home", MigrationBed.HOME.toString())).isZero();
    }

    @Test
    void aTypoInAnOnlineSettingIsRefusedBeforeAnythingConnects() throws Exception {
        Path file = bed.migration("typo", "mysql-online", parameters(Map.of("online.maxLagTransaction", "10")), null);
        Path state = bed.stateDirectory("typo");
        FerryProcess.Result result = FerryProcess.run(state, Map.of(), List.of("run", file.toString(), "--state-dir", state.toString()));
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("online.maxLagTransaction", "online.maxLagTransactions")
                .doesNotContain("collect-credentials  ok");
        nothingLeftBehind();
    }

    /**
     * A server without a binary log as the source, and the two servers with one server_id: the online preflight names
     * each missing setting, and nothing is created.
     */
    @Test
    void theOnlinePreflightNamesWhatTheServersLack() throws Exception {
        LocalMariaDb plain = bed.newMariaDbTarget();
        plain.createDatabase(DATABASE);
        Map<String, String> fromPlain = new LinkedHashMap<>(dev.ferry.local.LocalMigrationFiles.settings(bed.folder(), plain, DATABASE,
                target, DATABASE, bed.s3(), MigrationBed.BUCKET, "preflight"));
        fromPlain.put("switch.command", "true");
        RunReport noBinlog = bed.run(bed.migration("no-binlog", "mysql-online", fromPlain, null), bed.stateDirectory("no-binlog"),
                Map.of(), null, null);
        assertThat(noBinlog.status()).isEqualTo(RunReport.FAILED);
        assertThat(noBinlog.error().code()).isEqualTo("CHANGE_CAPTURE");
        assertThat(noBinlog.error().why()).contains("log_bin", "binlog_format is MIXED: set binlog_format = ROW")
                .doesNotContain("server_id");
        assertThat(step(noBinlog, "capture-changes").status).isEqualTo(StepRecord.Status.PENDING);

        Map<String, String> toPlainSettings = new LinkedHashMap<>(bed.settings(plain));
        toPlainSettings.put("switch.command", "true");
        RunReport toPlain = bed.run(bed.migration("to-same-id", "mysql-online", toPlainSettings, null), bed.stateDirectory("to-same-id"),
                Map.of(), null, null);
        assertThat(toPlain.status()).isEqualTo(RunReport.FAILED);
        assertThat(toPlain.error().why()).contains("the same server_id (1)").doesNotContain("log_bin");
        assertThat(step(toPlain, "capture-changes").status).isEqualTo(StepRecord.Status.PENDING);
        nothingLeftBehind();
    }

    /** Killed during the catch-up (the target replicating): 'ferry runs' shows the connection, resume and release remove it. */
    @Test
    void aKilledRunsReplicationIsShownThenRemovedByResumeOrRelease() throws Exception {
        Path state = bed.stateDirectory("killed");
        Path armed = Files.createDirectories(state).resolve("halt-armed");
        String haltThenCatchUp = """
                - route:
                    id: halt-then-catch-up
                    from:
                      uri: "direct:halt-then-catch-up"
                      steps:
                        - to: "class:dev.ferry.testing.Halt?method=onceIfArmed"
                        - to: "ferry:catch-up"
                """;
        Path file = bed.migration("killed", "mysql-online", parameters(Map.of("step.catch-up", "direct:halt-then-catch-up",
                "storage.prefix", "killed")), haltThenCatchUp);
        Map<String, String> environment = Map.of(Halt.ARMING_FILE, armed.toString());
        try (Writer writer = writer(WRITE)) {
            Files.writeString(armed, "");
            FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", file.toString(), "--state-dir", state.toString()));
            assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
            assertThat(replications()).hasSize(1);
            String runId = latestRun(state);

            FerryProcess.Result runs = FerryProcess.run(state, Map.of(), List.of("runs", "--state-dir", state.toString()));
            assertThat(runs.stdout()).contains(runId, "replication connection ferry_", "not dropped", "'ferry release " + runId + "'");

            FerryProcess.Result resumed = FerryProcess.run(state, environment, List.of("resume", runId, "--state-dir", state.toString()));
            assertThat(resumed.exitCode()).as(resumed.output()).isZero();
            assertThat(resumed.stdout()).contains("PASSED");
            nothingLeftBehind();
            both("SELECT count(*) FROM online_writes");
            assertThat(FerryProcess.run(state, Map.of(), List.of("runs", "--state-dir", state.toString())).stdout())
                    .doesNotContain("replication connection");
            assertThat(FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString())).exitCode()).isZero();
        }
        target.execute("mysql", "DROP DATABASE " + DATABASE);

        Path again = bed.migration("killed-again", "mysql-online", parameters(Map.of("step.catch-up", "direct:halt-then-catch-up",
                "storage.prefix", "killed-again")), haltThenCatchUp);
        Files.writeString(armed, "");
        FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", again.toString(), "--state-dir", state.toString()));
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        assertThat(replications()).hasSize(1);
        String runId = latestRun(state);
        FerryProcess.Result released = FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString()));
        assertThat(released.exitCode()).as(released.output()).isZero();
        assertThat(released.stdout()).contains("replication ferry_");
        nothingLeftBehind();
    }

    /** The example, through the real command line, the application writing. */
    @Test
    void theOnlineExampleCutsOverWhileTheApplicationWrites() throws Exception {
        Path state = bed.stateDirectory("example");
        Map<String, String> environment = Map.of("SOURCE_MYSQL_PASSWORD", source().password().reveal(),
                "TARGET_MYSQL_PASSWORD", target.password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
        try (Writer writer = writer(WRITE)) {
            FerryProcess.Result result = FerryProcess.run(state, environment,
                    List.of("run", MigrationBed.HOME.resolve("examples/mariadb-online/migration.camel.yaml").toString(),
                            "--set", "source.host=" + source().host(), "--set", "source.port=" + source().port(),
                            "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                            "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                            "--set", "switch.command=true", "--state-dir", state.toString()));
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.stdout()).contains("Migration 'shop-mariadb-online'", "PASSED", "catch-up: lag", "transactions",
                    "write downtime:").doesNotContain(source().password().reveal());
        }
        nothingLeftBehind();
        both("SELECT count(*) FROM online_writes");
        both("SELECT count(*) FROM orders");
        FerryProcess.Result released = FerryProcess.run(state, environment, List.of("release", latestRun(state), "--state-dir", state.toString()));
        assertThat(released.exitCode()).as(released.output()).isZero();
    }

    private static String latestRun(Path state) throws IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
