package dev.ferry.pipeline;

import dev.ferry.cli.FerryCli;
import dev.ferry.engine.Engine;
import dev.ferry.engine.postgres.PostgresEngine;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.CaptureLedger;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Halt;
import dev.ferry.testing.OnceSql;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Pgbench;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-online pipeline on real PostgreSQL 15 servers (the source with wal_level = logical)
 * and a real S3 server, with pgbench and an application writing to the source the whole time.
 */
class PostgresOnlinePipelineTest {

    private static final String DATABASE = MigrationBed.DATABASE;
    private static final String WRITE = "INSERT INTO online_writes (at) VALUES (now())";
    private static final Map<String, String> LOGICAL = Map.of("wal_level", "logical", "max_replication_slots", "10",
            "max_wal_senders", "10");

    static MigrationBed bed;
    static LocalPostgres target;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 1, LOGICAL);
        source().execute(DATABASE, "CREATE TABLE online_writes (id bigserial PRIMARY KEY, at timestamptz)");
        Pgbench.init(source(), DATABASE, 1);
        // pgbench's history table has no key; logical replication needs one for updates and deletes
        source().execute(DATABASE, "ALTER TABLE pgbench_history ADD COLUMN id bigserial PRIMARY KEY");
        target = bed.newTarget(PostgresBinaries.system());
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
        Engine engine = new PostgresEngine();
        if (engine.writesFrozen(source().endpoint(DATABASE), "test")) {
            engine.releaseWrites(source().endpoint(DATABASE), "test");
        }
        target.execute("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    private static LocalPostgres source() {
        return (LocalPostgres) bed.source();
    }

    private static Writer writer() {
        return Writer.start("jdbc:postgresql://" + source().host() + ":" + source().port() + "/" + DATABASE,
                source().superuser(), source().password().reveal(), WRITE);
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

    /** No slot or publication on the source, no subscription on the target. */
    private static void nothingLeftBehind() {
        assertThat(source().queryValue(DATABASE, "SELECT count(*) FROM pg_replication_slots")).as("slots on the source").isEqualTo("0");
        assertThat(source().queryValue(DATABASE, "SELECT count(*) FROM pg_publication")).as("publications on the source").isEqualTo("0");
        assertThat(target.queryValue("postgres", "SELECT count(*) FROM pg_subscription")).as("subscriptions on the target").isEqualTo("0");
        if (target.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'").equals("1")) {
            assertThat(target.queryValue(DATABASE, "SELECT count(*) FROM pg_publication")).as("the dump's copy of the publication")
                    .isEqualTo("0");
        }
    }

    private static String both(String sql) {
        String onSource = source().queryValue(DATABASE, sql);
        assertThat(target.queryValue(DATABASE, sql)).as(sql).isEqualTo(onSource);
        return onSource;
    }

    @Test
    void theSourceTakesWritesUntilTheFreezeAndTheTargetEqualsItAtTheSwitch() throws Exception {
        RunReport report;
        Writer writer = writer();
        try (Pgbench load = Pgbench.start(source(), DATABASE, 2, 100, 600)) {
            assertThat(writer.succeedsAfter(Instant.now(), Duration.ofSeconds(10))).isTrue();
            Path file = bed.migration("online", "postgres-online", parameters(Map.of()), null);

            report = bed.run(file, bed.stateDirectory("online"), Map.of(), null, null);

            assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
            assertThat(load.output()).as("pgbench ran until the freeze ended its sessions").doesNotContain("could not connect");
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
        // the target holds every write the source accepted, pgbench's and the application's, and the sequences' values
        long written = Long.parseLong(both("SELECT count(*) FROM online_writes"));
        assertThat(written).isGreaterThanOrEqualTo(beforeFreeze.size());
        assertThat(Long.parseLong(both("SELECT count(*) FROM pgbench_history"))).isPositive();
        both("SELECT sum(abalance) FROM pgbench_accounts");
        both("SELECT sum(tbalance) FROM pgbench_tellers");
        both("SELECT last_value FROM online_writes_id_seq");
        both("SELECT last_value FROM pgbench_history_id_seq");

        StepRecord summary = step(report, "stop-following");
        assertThat(summary.figures).containsKeys("copyMs", "catchUpMs", "lagAtFreezeBytes", "writeDowntimeMs");
        String timings = report.steps().stream().map(s -> s.id + " " + s.durationMs + " ms " + s.figures).toList().toString();
        System.out.println("postgres-online steps: " + timings);
        assertThat(report.writeDowntimeMs()).as(timings).isPositive().isEqualTo(((Number) summary.figures.get("writeDowntimeMs")).longValue())
                // the goal is 5 s on a quiet machine (0.4-0.8 s measured); the bound is loose for a loaded one
                .isLessThan(15_000);
        assertThat(((Number) step(report, "catch-up").figures.get("lagBytes")).longValue()).isLessThanOrEqualTo(1024 * 1024);
        Path runFolder = bed.stateDirectory("online").resolve("runs").resolve(report.runId());
        try (Stream<Path> files = Files.list(runFolder)) {
            for (Path kept : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(kept)).as(kept.toString()).doesNotContain(source().password().reveal())
                        .doesNotContain(target.password().reveal());
            }
        }
        assertThat(target.logTail()).as("the subscription's statement carries the source's password; the target's log must not")
                .doesNotContain(source().password().reveal());
        System.out.println("postgres-online: " + summary.notes + " drain " + step(report, "drain").figures
                + " verify " + step(report, "verify").durationMs + " ms");
        nothingLeftBehind();
        assertThat(CaptureLedger.outstanding(RunJournal.read(bed.stateDirectory("online").resolve("runs").resolve(report.runId()))))
                .isEmpty();
        // the switched source stays read-only: a later verification compares the target with it, live, and finds them equal
        assertThat(FerryCli.execute("verify", report.runId(), "--state-dir", bed.stateDirectory("online").toString(),
                "--home", MigrationBed.HOME.toString())).isZero();
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", bed.stateDirectory("online").toString(),
                "--home", MigrationBed.HOME.toString())).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump", "upload", "import", "smoke-test", "follow", "catch-up", "freeze-source", "drain",
            "sync-sequences", "verify", "switch"})
    void aFailureAtAnyStepLeavesNoSlotNoPublicationNoSubscriptionAndAWritableSource(String failing) throws Exception {
        Path file = bed.migration("failing-" + failing, "postgres-online", parameters(Map.of("step." + failing, "direct:step-that-fails")),
                """
                - route:
                    id: step-that-fails
                    from:
                      uri: "direct:step-that-fails"
                      steps:
                        - to: "ferry:assert?on=source&sql=RAW(SELECT count(*) FROM online_writes WHERE id < 0)&expect=1"
                """);
        RunReport report;
        try (Writer writer = writer()) {
            report = bed.run(file, bed.stateDirectory("failing-" + failing), Map.of(), null, null);
        }

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(report, failing).status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(report, "stop-following").status).as(step(report, "stop-following").notes.toString())
                .isEqualTo(StepRecord.Status.PASSED);
        assertThat(step(report, "release-source").status).isEqualTo(StepRecord.Status.PASSED);
        nothingLeftBehind();
        assertThat(new PostgresEngine().writesFrozen(source().endpoint(DATABASE), "test")).isFalse();
    }

    /** A row changed on the target behind the stream's back: the verification after the drain fails and nothing is switched. */
    @Test
    void aTargetThatDiffersFromTheFrozenSourceIsNotSwitched() throws Exception {
        Path file = bed.migration("differs", "postgres-online", parameters(Map.of("step.verify", "direct:tamper-then-verify",
                "storage.prefix", "differs")), """
                - route:
                    id: tamper-then-verify
                    from:
                      uri: "direct:tamper-then-verify"
                      steps:
                        - to: "class:dev.ferry.testing.OnceSql?method=run"
                        - to: "ferry:smoke-test?against=live"
                """);
        OnceSql.arm("jdbc:postgresql://" + target.host() + ":" + target.port() + "/" + DATABASE, target.superuser(),
                target.password().reveal(), "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = 1");
        RunReport report;
        try (Writer writer = writer()) {
            report = bed.run(file, bed.stateDirectory("differs"), Map.of(), null, null);
        }

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(report, "verify").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(report.error().code()).isEqualTo("SMOKE_TEST_MISMATCH");
        assertThat(report.differences()).anySatisfy(d -> assertThat(d).contains("pgbench_accounts"));
        assertThat(step(report, "switch").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(new PostgresEngine().writesFrozen(source().endpoint(DATABASE), "test")).as("the freeze is released").isFalse();
        nothingLeftBehind();
    }

    /** DDL is not replicated: a column added on the source while the target follows fails the catch-up, naming why. */
    @Test
    void aSchemaChangeDuringTheCatchUpFailsItAndDropsTheStream() throws Exception {
        Path file = bed.migration("ddl", "postgres-online", parameters(Map.of("step.catch-up", "direct:ddl-then-catch-up",
                "online.maxLagBytes", "0", "online.catchUpTimeoutSeconds", "60", "storage.prefix", "ddl")), """
                - route:
                    id: ddl-then-catch-up
                    from:
                      uri: "direct:ddl-then-catch-up"
                      steps:
                        - to: "class:dev.ferry.testing.OnceSql?method=run"
                        - to: "ferry:catch-up"
                """);
        OnceSql.arm("jdbc:postgresql://" + source().host() + ":" + source().port() + "/" + DATABASE, source().superuser(),
                // the row written right after the change is in the WAL before the catch-up starts, so the lag
                // cannot reach 0 (online.maxLagBytes) before the target fails to apply it
                source().password().reveal(), "ALTER TABLE online_writes ADD COLUMN added_meanwhile int DEFAULT 7; " + WRITE);
        RunReport report;
        try (Writer writer = writer()) {
            report = bed.run(file, bed.stateDirectory("ddl"), Map.of(), null, null);
        } finally {
            source().execute(DATABASE, "ALTER TABLE online_writes DROP COLUMN IF EXISTS added_meanwhile");
        }

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(report, "catch-up").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(report, "catch-up").durationMs).as("found at once, not at the deadline").isLessThan(40_000);
        assertThat(report.error().what()).contains("failed to apply a change");
        assertThat(report.error().why()).contains("schema change (DDL)");
        assertThat(step(report, "freeze-source").status).isEqualTo(StepRecord.Status.PENDING);
        nothingLeftBehind();
    }

    @Test
    void aTableWithoutKeyIsNamedBeforeAnythingIsCreated() throws Exception {
        source().execute(DATABASE, "CREATE TABLE no_key (x int); CREATE TABLE \"Odd Name\" (x int)");
        try {
            Path file = bed.migration("no-key", "postgres-online", parameters(Map.of()), null);
            RunReport report = bed.run(file, bed.stateDirectory("no-key"), Map.of(), null, null);

            assertThat(report.status()).isEqualTo(RunReport.FAILED);
            StepRecord preflight = step(report, "online-preflight");
            assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
            assertThat(report.error().why()).contains("public.no_key", "public.\"Odd Name\"", "REPLICA IDENTITY FULL");
            assertThat(step(report, "capture-changes").status).isEqualTo(StepRecord.Status.PENDING);
            nothingLeftBehind();
        } finally {
            source().execute(DATABASE, "DROP TABLE no_key; DROP TABLE \"Odd Name\"");
        }
    }

    @Test
    void aTypoInAnOnlineSettingIsRefusedBeforeAnythingConnects() {
        Path file = bed.migration("typo", "postgres-online", parameters(Map.of("online.maxLagByte", "1000")), null);
        Path state = bed.stateDirectory("typo");
        FerryProcess.Result result = FerryProcess.run(state, Map.of(), List.of("run", file.toString(), "--state-dir", state.toString()));
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("online.maxLagByte", "online.maxLagBytes").doesNotContain("collect-credentials  ok");
        nothingLeftBehind();
    }

    /** Killed after the slot was created, before the dump: the snapshot died with the process, so the resume cannot copy. */
    @Test
    void aResumeWhoseDumpHasStillToRunFailsSayingWhyAndDropsTheSlot() throws Exception {
        Path state = bed.stateDirectory("killed-before-dump");
        Path armed = Files.createDirectories(state).resolve("halt-armed");
        Path file = bed.migration("killed-before-dump", "postgres-online", parameters(Map.of("step.dump", "direct:halt-then-dump",
                "storage.prefix", "killed-before-dump")), """
                - route:
                    id: halt-then-dump
                    from:
                      uri: "direct:halt-then-dump"
                      steps:
                        - to: "class:dev.ferry.testing.Halt?method=onceIfArmed"
                        - to: "ferry:dump"
                """);
        Files.writeString(armed, "");
        Map<String, String> environment = Map.of(Halt.ARMING_FILE, armed.toString());
        FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", file.toString(), "--state-dir", state.toString()));
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        assertThat(source().queryValue(DATABASE, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("1");

        FerryProcess.Result resumed = FerryProcess.run(state, environment, List.of("resume", latestRun(state), "--state-dir", state.toString()));
        assertThat(resumed.exitCode()).as(resumed.output()).isEqualTo(1);
        assertThat(resumed.output()).contains("snapshot the slot ferry_", "is gone", "Start a new run");
        nothingLeftBehind();
    }

    @Test
    void aRehearsalIsRefusedBeforeAnythingIsCreated() {
        Path file = bed.migration("rehearsal", "postgres-online", parameters(Map.of("rehearsal.target.host", target.host())), null);
        Path state = bed.stateDirectory("rehearsal");
        FerryProcess.Result result = FerryProcess.run(state, Map.of(), List.of("run", file.toString(), "--rehearsal",
                "--state-dir", state.toString()));
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("An online cutover has no rehearsal");
        nothingLeftBehind();
    }

    /**
     * Ferry killed (as by SIGKILL) between follow and catch-up: the slot is left and 'ferry runs' shows
     * it; 'ferry resume' finishes the cutover from the slot and drops it. Killed again in a new run:
     * 'ferry release' drops it.
     */
    @Test
    void aKilledRunsSlotIsShownThenDroppedByResumeOrRelease() throws Exception {
        Path state = bed.stateDirectory("killed");
        Path armed = Files.createDirectories(state).resolve("halt-armed");
        Path file = bed.migration("killed", "postgres-online", parameters(Map.of("step.catch-up", "direct:halt-then-catch-up")),
                """
                - route:
                    id: halt-then-catch-up
                    from:
                      uri: "direct:halt-then-catch-up"
                      steps:
                        - to: "class:dev.ferry.testing.Halt?method=onceIfArmed"
                        - to: "ferry:catch-up"
                """);
        Map<String, String> environment = Map.of(Halt.ARMING_FILE, armed.toString());
        try (Writer writer = writer()) {
            Files.writeString(armed, "");
            FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", file.toString(), "--state-dir", state.toString()));
            assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
            assertThat(source().queryValue(DATABASE, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("1");
            String runId = latestRun(state);

            FerryProcess.Result runs = FerryProcess.run(state, Map.of(), List.of("runs", "--state-dir", state.toString()));
            assertThat(runs.stdout()).contains(runId, "replication slot ferry_", "not dropped", "'ferry release " + runId + "'");

            FerryProcess.Result resumed = FerryProcess.run(state, environment, List.of("resume", runId, "--state-dir", state.toString()));
            assertThat(resumed.exitCode()).as(resumed.output()).isZero();
            assertThat(resumed.stdout()).contains("PASSED");
            nothingLeftBehind();
            both("SELECT count(*) FROM online_writes");
            assertThat(FerryProcess.run(state, Map.of(), List.of("runs", "--state-dir", state.toString())).stdout())
                    .doesNotContain("replication slot");
            assertThat(FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString())).exitCode()).isZero();
        }
        target.execute("postgres", "DROP DATABASE " + DATABASE + " WITH (FORCE)");

        // another artifact folder: the killed run's writer lease on the first one lasts its two minutes
        Path again = bed.migration("killed-again", "postgres-online", parameters(Map.of("step.catch-up", "direct:halt-then-catch-up",
                "storage.prefix", "killed-again")), """
                - route:
                    id: halt-then-catch-up
                    from:
                      uri: "direct:halt-then-catch-up"
                      steps:
                        - to: "class:dev.ferry.testing.Halt?method=onceIfArmed"
                        - to: "ferry:catch-up"
                """);
        Files.writeString(armed, "");
        FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", again.toString(), "--state-dir", state.toString()));
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        String runId = latestRun(state);
        FerryProcess.Result released = FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString()));
        assertThat(released.exitCode()).as(released.output()).isZero();
        assertThat(released.stdout()).contains("Dropped: subscription ferry_", "slot ferry_", "publication ferry_");
        nothingLeftBehind();
    }

    /** Ferry SIGKILLed in the middle of the upload, the application writing: 'ferry release' drops the slot and the publication. */
    @Test
    void aRunKilledMidUploadLeavesNothingOnceReleased() throws Exception {
        Path state = bed.stateDirectory("killed-mid-step");
        Path file = bed.migration("killed-mid-step", "postgres-online", parameters(Map.of("storage.prefix", "killed-mid-step")), null);
        try (Writer writer = writer()) {
            FerryProcess.Result killed = FerryProcess.run(state, Map.of(), List.of("run", file.toString(), "--state-dir", state.toString()),
                    process -> killOnceStarted(process, state, "upload"));
            assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
            assertThat(killed.stdout()).doesNotContain("upload               ok");
            assertThat(source().queryValue(DATABASE, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("1");

            FerryProcess.Result released = FerryProcess.run(state, Map.of(), List.of("release", latestRun(state), "--state-dir",
                    state.toString()));
            assertThat(released.exitCode()).as(released.output()).isZero();
            assertThat(released.stdout()).contains("no subscription ferry_", "slot ferry_", "dropped");
            nothingLeftBehind();
            assertThat(new PostgresEngine().writesFrozen(source().endpoint(DATABASE), "test")).isFalse();
            assertThat(writer.succeedsAfter(Instant.now(), Duration.ofSeconds(10))).as("the application still writes").isTrue();
        }
    }

    private static void killOnceStarted(Process process, Path state, String step) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try {
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (Files.isDirectory(state.resolve("runs"))) {
                    try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
                        for (Path run : runs.toList()) {
                            Path journal = run.resolve(RunJournal.FILE_NAME);
                            if (Files.exists(journal) && Files.readString(journal).contains("\"step\":\"" + step + "\"")) {
                                Thread.sleep(300);
                                process.destroyForcibly();
                                return;
                            }
                        }
                    }
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The example, through the real command line, with pgbench writing, applying as PostgreSQL does by default. */
    @Test
    void theOnlineExampleCutsOverWhilePgbenchWrites() throws Exception {
        Path state = bed.stateDirectory("example");
        Map<String, String> environment = Map.of("SOURCE_PGPASSWORD", source().password().reveal(),
                "TARGET_PGPASSWORD", target.password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
        try (Pgbench load = Pgbench.start(source(), DATABASE, 2, 100, 600)) {
            FerryProcess.Result result = FerryProcess.run(state, environment,
                    List.of("run", MigrationBed.HOME.resolve("examples/postgres-online/migration.camel.yaml").toString(),
                            "--set", "source.host=" + source().host(), "--set", "source.port=" + source().port(),
                            "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                            "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                            "--set", "switch.command=true", "--set", "online.synchronousApply=false", "--state-dir", state.toString()));
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.stdout()).contains("Migration 'shop-online'", "PASSED", "catch-up: lag", "write downtime:")
                    .doesNotContain(source().password().reveal());
        }
        nothingLeftBehind();
        both("SELECT count(*) FROM pgbench_history");
        both("SELECT sum(abalance) FROM pgbench_accounts");
        FerryProcess.Result released = FerryProcess.run(state, environment, List.of("release", latestRun(state), "--state-dir", state.toString()));
        assertThat(released.exitCode()).as(released.output()).isZero();
    }

    private static String latestRun(Path state) throws IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
