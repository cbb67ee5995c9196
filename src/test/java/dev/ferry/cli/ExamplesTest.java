package dev.ferry.cli;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.testing.FerryProcess;
import dev.ferry.kubernetes.MockKubeconfig;
import dev.ferry.testing.JujuStandIn;
import dev.ferry.testing.MigrationBed;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every file under examples/ is valid and runs, through the real command line. */
@EnableKubernetesMockClient(crud = true)
class ExamplesTest {

    KubernetesClient kubernetes;

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 2);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(MigrationBed.HOME.resolve("examples"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    private FerryProcess.Result runExample(String example, LocalPostgres target, Path state, String... moreArguments) {
        List<String> arguments = new ArrayList<>(List.of("run",
                MigrationBed.HOME.resolve("examples").resolve(example).resolve("migration.camel.yaml").toString(),
                "--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                "--state-dir", state.toString(), "--report", state.resolve("report.json").toString()));
        arguments.addAll(List.of(moreArguments));
        Map<String, String> environment = Map.of("SOURCE_PGPASSWORD", bed.source().password().reveal(),
                "TARGET_PGPASSWORD", target.password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
        return FerryProcess.run(state, environment, arguments);
    }

    /**
     * The Juju examples, run through the real command line with the stand-in juju client first on
     * the child's PATH: it answers get-password, the system-users secret and the legacy relation
     * data with the source server's real user and password, and juju status with 127.0.0.1.
     */
    @ParameterizedTest
    @ValueSource(strings = {"charmed-postgresql-14-to-postgres", "charmed-postgresql-16-to-postgres", "legacy-charm-to-postgres"})
    void theJujuExamplesMigrateWithCredentialsFromJuju(String example) throws IOException {
        String user = bed.source().superuser();
        String password = bed.source().password().reveal();
        JujuStandIn juju = JujuStandIn.in(bed.folder().resolve("juju-" + example))
                .actionPassword("postgresql/0", password)
                .status("postgresql", bed.source().host())
                .status("myapp", "10.0.0.20")
                .answer("config-system-users.txt", "secret:cq3vjugm0ga96c0t6g20\n")
                .answer("secret.json", """
                        {"cq3vjugm0ga96c0t6g20": {"revision": 1, "owner": "postgresql",
                          "content": {"Data": {"%s-password": "%s"}}}}
                        """.formatted(user, password))
                .answer("show-unit.json", """
                        {"myapp/0": {"leader": true, "relation-info": [{"relation-id": 4, "endpoint": "db",
                          "related-endpoint": "db", "application-data": {},
                          "related-units": {"postgresql/0": {"in-scope": true, "data": {"user": "%s", "password": "%s",
                            "host": "%s", "port": "%d", "database": "%s"}}}}]}}
                        """.formatted(user, password, bed.source().host(), bed.source().port(), MigrationBed.DATABASE));
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.folder().resolve("run-" + example);
        List<String> arguments = new ArrayList<>(List.of("run",
                MigrationBed.HOME.resolve("examples").resolve(example).resolve("migration.camel.yaml").toString(),
                "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                "--state-dir", state.toString(), "--report", state.resolve("report.json").toString()));
        if (!example.startsWith("legacy")) {
            // the charms' users are operator and the like; this source's superuser is postgres, and
            // juju status shows no port
            arguments.addAll(List.of("--set", "source.juju.username=" + user, "--set", "source.port=" + bed.source().port()));
        }
        Map<String, String> environment = new HashMap<>(juju.environment());
        environment.putAll(Map.of("TARGET_PGPASSWORD", target.password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal()));

        FerryProcess.Result result = FerryProcess.run(state, environment, arguments);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("PASSED").doesNotContain(password);
        assertThat(result.stderr()).doesNotContain(password);
        String report = Files.readString(state.resolve("report.json"));
        assertThat(report).contains("\"status\" : \"passed\"", "password from juju:").doesNotContain(password);
        assertThat(juju.calls()).isNotEmpty().allSatisfy(call -> assertThat(call).endsWith("-m " + (example.startsWith("legacy")
                ? "old:production" : "prod:databases")).doesNotContain(password));
    }

    @Test
    void everyExampleValidates() throws IOException {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        for (Path example : examples) {
            FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("validate"), Map.of(), List.of("validate", example.toString()));
            assertThat(result.exitCode()).as(example + ": " + result.output()).isZero();
            assertThat(result.stdout()).contains("is valid");
        }
    }

    @Test
    void theBasicExampleMigratesTheDatabase() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        FerryProcess.Result result = runExample("postgres-to-postgres", target, bed.folder().resolve("basic"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("Migration 'shop-to-staging'", "PASSED", "check");
        assertThat(Files.readString(bed.folder().resolve("basic/report.json"))).contains("\"status\" : \"passed\"");
    }

    @Test
    void theReplacedStepRunsTheUsersRouteAndItsAssertionCanFailTheRun() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        FerryProcess.Result passed = runExample("replace-a-step", target, bed.folder().resolve("replaced"));

        assertThat(passed.exitCode()).as(passed.output()).isZero();
        assertThat(passed.stdout()).contains("assertion on target held: SELECT count(*) FROM order_items WHERE unit_price <= 0 = 0");

        LocalPostgres second = bed.newTarget(PostgresBinaries.system());
        bed.source().execute(MigrationBed.DATABASE,
                "UPDATE order_items SET unit_price = 0 WHERE (order_id, line) = (SELECT order_id, line FROM order_items LIMIT 1)");
        try {
            FerryProcess.Result failed = runExample("replace-a-step", second, bed.folder().resolve("replaced-failing"));

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.stdout()).contains("smoke-test", "FAILED", "Assertion failed on the target", "returned 1, expected 0");
        } finally {
            bed.source().execute(MigrationBed.DATABASE,
                    "UPDATE order_items SET unit_price = 1 WHERE unit_price = 0");
        }
    }

    @Test
    void theEverestSecretExampleTakesTheTargetPasswordFromTheKubernetesApi() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        kubernetes.secrets().inNamespace("everest").resource(new SecretBuilder().withNewMetadata().withName("everest-secrets-shop-pg")
                .endMetadata().addToStringData("password", target.password().reveal()).build()).create();
        Path kubeconfig = MockKubeconfig.write(kubernetes, Files.createDirectories(bed.folder().resolve("kube")));

        FerryProcess.Result result = runExample("everest-secret-credentials", target, bed.folder().resolve("everest-secret"),
                "--set", "target.secret.kubeconfig=" + kubeconfig, "--set", "target.database=shop");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("password from kubernetes-secret:everest/everest-secrets-shop-pg#password", "PASSED");
    }

    @Test
    void theCredentialFilesExampleReadsPgpassJsonAndAKeyFile() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path folder = Files.createDirectories(bed.folder().resolve("credential-files"));
        Path pgpass = Files.writeString(folder.resolve("pgpass"), "127.0.0.1:" + bed.source().port() + ":shop:postgres:"
                + bed.source().password().reveal().replace(":", "\\:") + "\n");
        Path json = Files.writeString(folder.resolve("target.json"),
                "{\"admin\": {\"user\": \"postgres\", \"password\": \"" + target.password().reveal() + "\"}}");
        Path s3Key = Files.writeString(folder.resolve("s3-key"), bed.s3().secretKey().reveal());

        FerryProcess.Result result = runExample("credentials-files", target, folder.resolve("state"),
                "--set", "source.credentialsFile=" + pgpass, "--set", "target.credentialsFile=" + json,
                "--set", "storage.secretKeyFile=" + s3Key);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("password from file:" + pgpass + " line 1", "password from file:" + json + "#admin.password");
    }

    /**
     * The cutover example as an operator runs it: a rehearsal into a scratch server, the plan with
     * the window and the rehearsal's estimate, the cutover (the application's Secret on the mock API
     * server switched, the summary posted to a loopback webhook), then ferry release.
     */
    @Test
    void thePostgresCutoverExampleRehearsesPlansCutsOverAndIsReleased() throws Exception {
        kubernetes.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata()
                .addToStringData("host", "db-vm.internal").build()).create();
        Path kubeconfig = MockKubeconfig.write(kubernetes, Files.createDirectories(bed.folder().resolve("kube-cutover")));
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        LocalPostgres scratch = bed.newTarget(PostgresBinaries.system());
        Path state = bed.folder().resolve("cutover-example");
        String file = MigrationBed.HOME.resolve("examples/postgres-cutover/migration.camel.yaml").toString();
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String window = now.minus(java.time.Duration.ofHours(1)) + "/" + now.plus(java.time.Duration.ofHours(1));
        Map<String, String> environment = Map.of("SOURCE_PGPASSWORD", bed.source().password().reveal(),
                "TARGET_PGPASSWORD", target.password().reveal(), "REHEARSAL_PGPASSWORD", scratch.password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
        try (dev.ferry.testing.Webhook webhook = dev.ferry.testing.Webhook.start()) {
            List<String> common = List.of("--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                    "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                    "--set", "notify.url=" + webhook.url(), "--set", "switch.kubernetes.kubeconfig=" + kubeconfig,
                    "--set", "cutover.window=" + window, "--state-dir", state.toString());

            FerryProcess.Result rehearsal = FerryProcess.run(state, environment, concat(List.of("run", file, "--rehearsal",
                    "--set", "rehearsal.target.host=" + scratch.host(), "--set", "rehearsal.target.port=" + scratch.port()), common));
            assertThat(rehearsal.exitCode()).as(rehearsal.output()).isZero();
            assertThat(rehearsal.stdout()).contains("rehearsal: scratch target, no freeze, no switch", "PASSED", "Rehearsal durations recorded");
            assertThat(webhook.next()).contains("\"rehearsal\":true", "\"status\":\"passed\"");

            FerryProcess.Result plan = FerryProcess.run(state, Map.of(), concat(List.of("plan", file), common));
            assertThat(plan.exitCode()).as(plan.output()).isZero();
            assertThat(plan.stdout()).contains("Window: " + window, "now inside it", "estimate ", "from rehearsal ");

            FerryProcess.Result cutover = FerryProcess.run(state, environment, concat(List.of("run", file,
                    "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port()), common));
            assertThat(cutover.exitCode()).as(cutover.output()).isZero();
            assertThat(cutover.stdout()).contains("Migration 'shop-cutover'", "PASSED", "write downtime:", "switched: Secret shop/shop-db",
                    "stays read-only");
            assertThat(webhook.next()).contains("\"rehearsal\":false", "\"status\":\"passed\"", "writeDowntimeMs");
            io.fabric8.kubernetes.api.model.Secret secret = kubernetes.secrets().inNamespace("shop").withName("shop-db").get();
            assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get("port")))).isEqualTo(Integer.toString(target.port()));
            assertThat(secret.getMetadata().getAnnotations()).containsKey("ferry.dev/switched-by");
        } finally {
            String runId = latestRun(state);
            FerryProcess.Result release = FerryProcess.run(state, environment, List.of("release", runId, "--state-dir", state.toString()));
            assertThat(release.exitCode()).as(release.output()).isZero();
        }
        bed.source().execute(MigrationBed.DATABASE, "CREATE TABLE after_the_release (id int)");
        bed.source().execute(MigrationBed.DATABASE, "DROP TABLE after_the_release");
    }

    /** The scheduled example, started twice by a short schedule given on the command line. */
    @Test
    void theScheduledExampleRunsAtEachTimeOfItsSchedule() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.folder().resolve("scheduled");
        FerryProcess.Result result = FerryProcess.run(state, Map.of("SOURCE_PGPASSWORD", bed.source().password().reveal(),
                        "TARGET_PGPASSWORD", target.password().reveal(),
                        "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal()),
                List.of("schedule", MigrationBed.HOME.resolve("examples/scheduled-staging-refresh/migration.camel.yaml").toString(),
                        "--cron", "0/5 * * * * ?", "--runs", "2",
                        "--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                        "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                        "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                        "--state-dir", state.toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("schedule: shop-staging-refresh at '0/5 * * * * ?' (Europe/Berlin, Quartz)",
                "schedule: shop-staging-refresh starts (start 1)", "schedule: shop-staging-refresh starts (start 2)");
        assertThat(result.stdout().split("passed \\(exit 0\\)", -1)).as(result.stdout()).hasSize(3);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String latestRun(Path state) throws IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void badInputExitsWithTwoBeforeConnectingToAnything() {
        FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("bad"), Map.of(),
                List.of("run", MigrationBed.HOME.resolve("examples/postgres-to-postgres/migration.camel.yaml").toString(),
                        "--from", "nowhere", "--state-dir", bed.folder().resolve("bad").toString()));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--from names no step of this pipeline: 'nowhere'");
    }

    @Test
    void theDemoRunsEndToEndAndCleansUp() {
        FerryProcess.Result result = FerryProcess.run(bed.folder().resolve("demo"), Map.of(),
                List.of("demo", "--scale", "1", "--state-dir", bed.folder().resolve("demo-state").toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("Migration 'demo-shop'", "PASSED", "smoke-test", "Cleaning up");
    }
}
