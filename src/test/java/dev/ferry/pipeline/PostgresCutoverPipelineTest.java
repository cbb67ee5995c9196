package dev.ferry.pipeline;

import dev.ferry.cli.FerryCli;
import dev.ferry.cutover.Estimates;
import dev.ferry.kubernetes.MockKubeconfig;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Webhook;
import dev.ferry.testing.Writer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-cutover pipeline on real PostgreSQL servers and a real S3 server, with an application
 * writing to the source throughout, the fabric8 mock API server holding the application's Secret,
 * and a loopback webhook.
 */
@EnableKubernetesMockClient(crud = true)
class PostgresCutoverPipelineTest {

    private static final String WRITE = "INSERT INTO cutover_writes (at) VALUES (now())";

    KubernetesClient kubernetes;

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 1);
        bed.source().execute(MigrationBed.DATABASE, "CREATE TABLE cutover_writes (id bigserial PRIMARY KEY, at timestamptz)");
    }

    /** A test that failed half-way must not leave the shared source frozen for the next one. */
    @org.junit.jupiter.api.AfterEach
    void thawTheSource() {
        dev.ferry.engine.Engine engine = new dev.ferry.engine.postgres.PostgresEngine();
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
        return Writer.start("jdbc:postgresql://" + bed.source().host() + ":" + bed.source().port() + "/" + MigrationBed.DATABASE,
                bed.source().superuser(), bed.source().password().reveal(), WRITE);
    }

    private static String window(Duration before, Duration after) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return now.minus(before) + "/" + now.plus(after);
    }

    private Path migration(String name, LocalPostgres target, Map<String, String> extra, String moreYaml) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("switch.kubernetes.name", "shop-db");
        parameters.put("switch.kubernetes.namespace", "shop");
        parameters.put("switch.kubernetes.kubeconfig", MockKubeconfig.write(kubernetes, bed.folder()).toString());
        parameters.put("cutover.window", window(Duration.ofHours(1), Duration.ofHours(1)));
        parameters.putAll(extra);
        return bed.migration(name, "postgres-cutover", parameters, moreYaml);
    }

    private void applicationSecret(String host) {
        kubernetes.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("shop-db")
                .withNamespace("shop").endMetadata()
                .addToData("host", encode(host)).addToData("port", encode("5432")).addToData("database", encode("shop"))
                .addToData("password", encode("app-secret")).build()).createOr(existing -> existing.update());
    }

    private String secretKey(String key) {
        Secret secret = kubernetes.secrets().inNamespace("shop").withName("shop-db").get();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    private static boolean sourceWritable() {
        try {
            bed.source().execute(MigrationBed.DATABASE, WRITE);
            return true;
        } catch (RuntimeException e) {
            assertThat(e).hasStackTraceContaining("read-only transaction");
            return false;
        }
    }

    @Test
    void theCutoverFreezesWritesSwitchesTheSecretNotifiesAndKeepsTheSourceReadOnlyUntilReleased() throws Exception {
        applicationSecret("old-db.internal");
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.stateDirectory("cutover");
        RunReport report;
        Writer writer = writer();
        try (Webhook webhook = Webhook.start()) {
            assertThat(writer.succeedsAfter(Instant.now(), Duration.ofSeconds(10))).as("the application writes before the cutover").isTrue();
            Path file = migration("cutover", target, Map.of("notify.url", webhook.url()), null);

            report = bed.run(file, state, Map.of(), null, null);

            assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
            String posted = webhook.next();
            assertThat(posted).contains("\"runId\":\"" + report.runId() + "\"", "\"status\":\"passed\"", "\"writeDowntimeMs\"",
                    "content-type: application/json").doesNotContain(bed.source().password().reveal());
        }
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("window-gate", "collect-credentials", "preflight",
                "freeze-source", "dump", "upload", "verify-versions", "import", "smoke-test", "point-of-no-return", "switch",
                "release-source", "notify");
        assertThat(report.steps()).allSatisfy(s -> assertThat(s.status).isEqualTo(StepRecord.Status.PASSED));
        StepRecord freeze = step(report, "freeze-source");
        assertThat(freeze.notes).anySatisfy(n -> assertThat(n).contains("read-only (default_transaction_read_only = on)"));
        // every write the application began after the freeze was refused, and the smoke test found the target equal
        List<Writer.Attempt> frozen = writer.between(freeze.finishedAt, report.finishedAt());
        assertThat(frozen).isNotEmpty().allSatisfy(a -> assertThat(a.ok()).as(a.toString()).isFalse());
        assertThat(frozen).anySatisfy(a -> assertThat(a.sqlState()).isEqualTo("25006"));
        assertThat(writer.between(Instant.EPOCH, freeze.startedAt)).anySatisfy(a -> assertThat(a.ok()).isTrue());
        assertThat(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM cutover_writes"))
                .isEqualTo(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM cutover_writes"));

        assertThat(secretKey("host")).isEqualTo(target.host());
        assertThat(secretKey("port")).isEqualTo(Integer.toString(target.port()));
        assertThat(secretKey("database")).isEqualTo(MigrationBed.DATABASE);
        assertThat(secretKey("password")).as("the application's own password is left alone").isEqualTo("app-secret");
        assertThat(step(report, "switch").notes).anySatisfy(n -> assertThat(n).contains("host: old-db.internal -> " + target.host()));
        assertThat(report.writeDowntimeMs()).isPositive().isEqualTo(Duration.between(Instant.parse((String) freeze.figures.get("frozenAt")),
                Instant.parse((String) step(report, "switch").figures.get("switchedAt"))).toMillis());
        assertThat(step(report, "release-source").notes).anySatisfy(n -> assertThat(n).contains("stays read-only"));

        // switched: the source stays read-only (cutover.afterSwitch keep) until ferry release
        assertThat(sourceWritable()).isFalse();
        Instant released = Instant.now();
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                .isZero();
        assertThat(writer.succeedsAfter(released, Duration.ofSeconds(10))).as("the application writes again").isTrue();
        writer.close();
        assertThat(sourceWritable()).isTrue();
        assertThat(FerryCli.execute("release", report.runId(), "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                .as("nothing left to release").isZero();
    }

    @Test
    void aStepFailingAfterTheFreezeReleasesItAndTheWebhookHearsOfTheFailure() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        try (Webhook webhook = Webhook.start(); Writer writer = writer()) {
            Path file = migration("failing-import", target, Map.of("step.import", "direct:import-that-fails", "notify.url", webhook.url()),
                    """
                    - route:
                        id: import-that-fails
                        from:
                          uri: "direct:import-that-fails"
                          steps:
                            - to: "ferry:assert?on=source&sql=RAW(SELECT count(*) FROM cutover_writes WHERE id < 0)&expect=1"
                    """);

            RunReport report = bed.run(file, bed.stateDirectory("failing-import"), Map.of(), null, null);

            assertThat(report.status()).isEqualTo(RunReport.FAILED);
            assertThat(step(report, "import").status).isEqualTo(StepRecord.Status.FAILED);
            assertThat(step(report, "switch").status).isEqualTo(StepRecord.Status.PENDING);
            StepRecord release = step(report, "release-source");
            assertThat(release.status).isEqualTo(StepRecord.Status.PASSED);
            assertThat(release.notes).anySatisfy(n -> assertThat(n).contains("writable again", "(the run failed)"));
            assertThat(writer.between(step(report, "freeze-source").finishedAt, step(report, "import").finishedAt))
                    .isNotEmpty().allSatisfy(a -> assertThat(a.ok()).isFalse());
            assertThat(writer.succeedsAfter(release.finishedAt, Duration.ofSeconds(10))).as("writes succeed again").isTrue();
            assertThat(sourceWritable()).isTrue();
            assertThat(report.writeDowntimeMs()).isPositive();
            assertThat(webhook.next()).contains("\"status\":\"failed\"", "\"code\":\"SMOKE_TEST_MISMATCH\"", "\"step\":\"import\"");
        }
    }

    @Test
    void aRehearsalGoesIntoItsScratchTargetWithoutFreezeOrSwitchAndRecordsTheEstimate() throws Exception {
        applicationSecret("old-db.internal");
        LocalPostgres production = bed.newTarget(PostgresBinaries.system());
        LocalPostgres scratch = bed.newTarget(PostgresBinaries.system());
        Map<String, String> rehearsal = new LinkedHashMap<>();
        bed.settings(scratch).forEach((key, value) -> {
            if (key.startsWith("target.")) {
                rehearsal.put("rehearsal." + key, value);
            }
        });
        rehearsal.put("cutover.window", window(Duration.ofDays(2), Duration.ofDays(-1)));
        // the application writes through the freeze step and then goes quiet, because the smoke test
        // compares the target with the live source, which a rehearsal does not hold still
        rehearsal.put("step.freeze-source", "direct:freeze-then-quiet");
        Path file = migration("rehearsed", production, rehearsal, """
                - route:
                    id: freeze-then-quiet
                    from:
                      uri: "direct:freeze-then-quiet"
                      steps:
                        - to: "ferry:freeze-source"
                        - delay:
                            constant: 500
                        - to: "class:dev.ferry.testing.QuietWriters?method=now"
                """);
        Path state = bed.stateDirectory("rehearsed");

        RunReport report;
        Writer writer = writer();
        try (writer) {
            report = new MigrationRunner(new RunOptions(MigrationBed.HOME, state, Map.of(), null, null, false, null, null, null, true))
                    .run(file);
        }

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        StepRecord freeze = step(report, "freeze-source");
        assertThat(writer.between(report.startedAt(), freeze.finishedAt)).isNotEmpty().allSatisfy(a -> assertThat(a.ok()).isTrue());
        assertThat(writer.between(freeze.startedAt, freeze.finishedAt)).as("writes during the rehearsal's freeze step").isNotEmpty();
        assertThat(step(report, "window-gate").notes).contains("rehearsal: the window is not enforced");
        assertThat(freeze.notes).anySatisfy(n -> assertThat(n).startsWith("rehearsal:").contains("not frozen"));
        assertThat(step(report, "switch").notes).contains("rehearsal: nothing switched");
        assertThat(secretKey("host")).isEqualTo("old-db.internal");
        assertThat(scratch.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
        assertThat(production.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop'")).isEqualTo("0");
        Estimates.Recorded recorded = Estimates.read(state, "rehearsed").orElseThrow();
        assertThat(recorded.runId()).isEqualTo(report.runId());
        assertThat(recorded.sourceBytes()).isPositive();
        assertThat(recorded.stepMillis()).containsKeys("dump", "upload", "import", "smoke-test")
                .containsEntry("import", step(report, "import").durationMs);
    }

    @Test
    void aRunOutsideItsWindowOrWhoseEstimateDoesNotFitIsRefusedWithExit2BeforeAnythingConnects() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")); Webhook webhook = Webhook.start()) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket ignored = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            LocalPostgres target = bed.newTarget(PostgresBinaries.system());
            // a rehearsal whose upload takes at least 6 s: the estimate later runs are held to
            Path file = migration("estimated", target, Map.of("step.upload", "direct:slow-upload",
                    "rehearsal.target.database", "shop_rehearsal"), """
                    - route:
                        id: slow-upload
                        from:
                          uri: "direct:slow-upload"
                          steps:
                            - delay:
                                constant: 6000
                            - to: "ferry:upload"
                    """);
            Path state = bed.stateDirectory("estimated");
            RunReport rehearsal = new MigrationRunner(new RunOptions(MigrationBed.HOME, state, Map.of(), null, null, false, null, null,
                    null, true)).run(file);
            assertThat(rehearsal.status()).as(rehearsal.toString()).isEqualTo(RunReport.PASSED);
            assertThat(Estimates.read(state, "estimated").orElseThrow().stepMillis().get("upload")).isGreaterThanOrEqualTo(6000);

            String nowhere = "127.0.0.1";
            List<String> elsewhere = List.of("--set", "source.host=" + nowhere, "--set", "source.port=" + listener.getLocalPort(),
                    "--set", "target.host=" + nowhere, "--set", "target.port=" + listener.getLocalPort(),
                    "--set", "storage.endpoint=http://127.0.0.1:" + listener.getLocalPort(), "--set", "notify.url=" + webhook.url(),
                    "--state-dir", state.toString(),
                    "--home", MigrationBed.HOME.toString(), "--report", state.resolve("refused.json").toString());

            int outside = FerryCli.execute(Stream.concat(Stream.of("run", file.toString(), "--set",
                    "cutover.window=2020-01-04T01:00+01:00/2020-01-04T05:00+01:00"), elsewhere.stream()).toArray(String[]::new));
            assertThat(outside).isEqualTo(FerryCli.BAD_INPUT);
            assertThat(Files.readString(state.resolve("refused.json"))).contains("OUTSIDE_WINDOW", "outside the window");

            int tooLong = FerryCli.execute(Stream.concat(Stream.of("run", file.toString(), "--set",
                    "cutover.window=" + window(Duration.ofHours(1), Duration.ofSeconds(4))), elsewhere.stream()).toArray(String[]::new));
            assertThat(tooLong).isEqualTo(FerryCli.BAD_INPUT);
            assertThat(Files.readString(state.resolve("refused.json"))).contains("OUTSIDE_WINDOW", "does not fit in the", "rehearsal "
                    + rehearsal.runId());

            int weekly = FerryCli.execute(Stream.concat(Stream.of("run", file.toString(), "--set", "cutover.window="
                    + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusDays(3).getDayOfWeek().name().substring(0, 3)
                    + " 01:00-05:00 Europe/Berlin"), elsewhere.stream()).toArray(String[]::new));
            assertThat(weekly).isEqualTo(FerryCli.BAD_INPUT);
            assertThat(Files.readString(state.resolve("refused.json"))).contains("OUTSIDE_WINDOW", "the next window opens");

            assertThat(connections.get()).as("nothing was connected to").isZero();
            assertThat(webhook.waiting()).as("not even the webhook").isZero();
        }
    }

    @Test
    void aKilledRunLeavesTheSourceFrozenAndTheJournalKnowingItSoFerryReleaseUndoesIt() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("killed", target, Map.of("step.dump", "direct:die-after-the-freeze"), """
                - route:
                    id: die-after-the-freeze
                    from:
                      uri: "direct:die-after-the-freeze"
                      steps:
                        - to: "class:dev.ferry.testing.SelfKill?method=now"
                """);
        Path state = bed.stateDirectory("killed");

        FerryProcess.Result killed = FerryProcess.run(state, Map.of(), List.of("run", file.toString(), "--state-dir", state.toString()));

        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        assertThat(sourceWritable()).as("the freeze outlived Ferry").isFalse();
        String runId;
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            runId = runs.findFirst().orElseThrow().getFileName().toString();
        }
        assertThat(Files.readString(state.resolve("runs").resolve(runId).resolve("journal.jsonl"))).contains("\"freeze-intent\"");

        FerryProcess.Result unknown = FerryProcess.run(state, Map.of(), List.of("release", "no-such-run", "--state-dir", state.toString()));
        assertThat(unknown.exitCode()).isEqualTo(FerryCli.BAD_INPUT);

        FerryProcess.Result released = FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString()));

        assertThat(released.exitCode()).as(released.output()).isZero();
        assertThat(released.stdout()).contains("Released: database", "writable again", "writes were frozen for");
        assertThat(sourceWritable()).isTrue();
        assertThat(Files.readString(state.resolve("runs").resolve(runId).resolve("journal.jsonl"))).contains("\"freeze-released\"");
        FerryProcess.Result again = FerryProcess.run(state, Map.of(), List.of("release", runId, "--state-dir", state.toString()));
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("nothing to release");
    }

    @Test
    void aResumeAfterTheKillGoesOnWithTheSourceStillFrozenAndReleasesItAtTheEnd() throws IOException {
        applicationSecret("old-db.internal");
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("killed-then-resumed", target, Map.of("step.dump", "direct:die-once-then-dump",
                "cutover.afterSwitch", "release"), """
                - route:
                    id: die-once-then-dump
                    from:
                      uri: "direct:die-once-then-dump"
                      steps:
                        - to: "class:dev.ferry.testing.KillOnce?method=now"
                        - to: "ferry:dump"
                """);
        Path state = bed.stateDirectory("killed-then-resumed");
        Map<String, String> environment = Map.of("FERRY_TEST_KILL_MARKER", bed.folder().resolve("killed-once").toString());

        FerryProcess.Result killed = FerryProcess.run(state, environment, List.of("run", file.toString(), "--state-dir", state.toString()));
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        assertThat(sourceWritable()).isFalse();
        String runId;
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            runId = runs.findFirst().orElseThrow().getFileName().toString();
        }

        FerryProcess.Result resumed = FerryProcess.run(state, environment, List.of("resume", runId, "--state-dir", state.toString()));

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.stdout()).contains("done before (resumed)", "PASSED", "writable again", "write downtime:");
        assertThat(sourceWritable()).isTrue();
        assertThat(secretKey("port")).isEqualTo(Integer.toString(target.port()));
        assertThat(Files.readString(state.resolve("runs").resolve(runId).resolve("journal.jsonl"))).contains("\"freeze-released\"");
    }

    @Test
    void aWindowThatEndsBeforeTheSwitchReleasesTheFreezeInsteadOfSwitchingLate() throws IOException {
        applicationSecret("old-db.internal");
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        // no rehearsal, so no estimate: the run starts with 8 s left, and its smoke test alone takes longer
        Path file = migration("late", target, Map.of("cutover.window", window(Duration.ofHours(1), Duration.ofSeconds(8)),
                "step.smoke-test", "direct:slow-smoke-test"), """
                - route:
                    id: slow-smoke-test
                    from:
                      uri: "direct:slow-smoke-test"
                      steps:
                        - delay:
                            constant: 9000
                        - to: "ferry:smoke-test"
                """);

        RunReport report = bed.run(file, bed.stateDirectory("late"), Map.of(), null, null);

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        assertThat(report.error().code()).isEqualTo("WINDOW_ENDED");
        assertThat(step(report, "window-gate").notes).anySatisfy(n -> assertThat(n).contains("no rehearsal recorded"));
        assertThat(step(report, "smoke-test").status).isEqualTo(StepRecord.Status.PASSED);
        assertThat(step(report, "point-of-no-return").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(report, "switch").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(step(report, "release-source").notes).anySatisfy(n -> assertThat(n).contains("writable again"));
        assertThat(secretKey("host")).isEqualTo("old-db.internal");
        assertThat(sourceWritable()).isTrue();
    }
}
