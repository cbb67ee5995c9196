package dev.ferry.everest;

import dev.ferry.everest.api.EverestResources;
import dev.ferry.everest.api.EverestDocuments;

import dev.ferry.kubernetes.MockKubeconfig;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.MigrationBed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-logical-to-everest pipeline against the fabric8 mock API server with an in-test
 * simulation of Everest ({@link EverestSimulation}) that runs the real {@code ferry importer} into a
 * throwaway PostgreSQL playing the new cluster.
 */
@EnableKubernetesMockClient(crud = true)
class EverestImportTest {

    KubernetesClient kubernetes;
    KubernetesMockServer server;

    static MigrationBed bed;
    Path kubeconfig;
    EverestSimulation everest;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 1);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @BeforeEach
    void installEverest() throws IOException {
        Path folder = Files.createTempDirectory(bed.folder(), "kube");
        kubeconfig = MockKubeconfig.write(kubernetes, folder);
        try (InputStream importer = Files.newInputStream(MigrationBed.HOME.resolve("examples/everest/ferry-postgresql-logical.yaml"))) {
            kubernetes.genericKubernetesResources(EverestResources.DATA_IMPORTER).load(importer).create();
        }
        GenericKubernetesResource engine = new GenericKubernetesResource();
        engine.setApiVersion(EverestResources.API_VERSION);
        engine.setKind("DatabaseEngine");
        engine.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("percona-postgresql-operator")
                .withNamespace(EverestSimulation.NAMESPACE).build());
        engine.setAdditionalProperty("spec", Map.of("type", "postgresql"));
        engine.setAdditionalProperty("status", Map.of("status", "installed", "availableVersions", Map.of("engine", Map.of(
                "14.13", Map.of("status", "available"), "15.8", Map.of("status", "available"), "15.7", Map.of("status", "recommended"),
                "16.4", Map.of("status", "available"), "17.0", Map.of("status", "unavailable")))));
        kubernetes.genericKubernetesResources(EverestResources.DATABASE_ENGINE).inNamespace(EverestSimulation.NAMESPACE)
                .resource(engine).create();
        everest = new EverestSimulation(kubernetes, folder, kubeconfig);
        everest.onLog = (pod, log) -> server.expect().get()
                .withPath("/api/v1/namespaces/everest/pods/" + pod + "/log?pretty=false&container=importer&tailLines=20")
                .andReturn(200, log).always();
    }

    @AfterEach
    void stopEverest() throws InterruptedException {
        everest.close();
    }

    private Path migration(String name, LocalPostgres target, Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>(bed.settings(target));
        settings.keySet().removeIf(k -> k.startsWith("target.") && !k.equals("target.passwordFile") && !k.equals("target.database"));
        settings.put("everest.cluster", name);
        settings.put("everest.kubeconfig", kubeconfig.toString());
        settings.put("everest.pollMillis", "200");
        settings.putAll(extra);
        return bed.migration(name, "postgres-logical-to-everest", settings, null);
    }

    static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    private List<GenericKubernetesResource> clusters() {
        return kubernetes.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(EverestSimulation.NAMESPACE)
                .list().getItems();
    }

    @Test
    void importsIntoANewClusterThroughFerrysImporterAndComparesTheData() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        everest.serve("shop-pg", target);
        Path file = migration("shop-pg", target, Map.of("storage.verifyTls", "false"));

        RunReport report = bed.run(file, bed.stateDirectory("everest-ok"), Map.of(), null, null);

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("collect-source-credentials", "everest-preflight", "dump",
                "upload", "everest-import", "smoke-test");
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
        assertThat(step(report, "everest-import").figures).containsEntry("engine", "postgresql 15.7");
        GenericKubernetesResource cluster = clusters().get(0);
        Map<String, Object> dataImport = EverestDocuments.map(cluster.getAdditionalProperties(), "spec", "dataSource", "dataImport");
        assertThat(dataImport).containsEntry("dataImporterName", "ferry-postgresql-logical").doesNotContainKey("spec");
        assertThat(EverestDocuments.at(dataImport, "config", "database")).isEqualTo("shop");
        assertThat(kubernetes.secrets().inNamespace("everest").withName("cred-secret-shop-pg").get()).isNotNull();
        assertThat(kubernetes.secrets().inNamespace("everest").withName("everest-secrets-shop-pg").get()).isNotNull();
        // the request as documented: verifyTLS false is left out (omitempty) and read as false; port as a string
        assertThat(everest.requests.get(0)).doesNotContain("verifyTLS").contains("\"port\":\"" + target.port() + "\"", "\"user\":\"postgres\"");
        String log = everest.importerLog("data-import-shop-pg-3f2a9c");
        assertThat(log).contains("ferry importer: done", "with the dump's snapshot: all equal")
                .doesNotContain(target.password().reveal(), bed.s3().secretKey().reveal());
        GenericKubernetesResource job = kubernetes.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB)
                .inNamespace("everest").withName("data-import-shop-pg").get();
        assertThat(job.getMetadata().getAnnotations()).containsKey(EverestResources.PROGRESS_ANNOTATION);
        assertThat(job.getMetadata().getAnnotations().get(EverestResources.PROGRESS_ANNOTATION)).startsWith("done");
        String reportJson = Files.readString(Path.of(report.journal()).resolveSibling("report.json"));
        assertThat(reportJson).doesNotContain(target.password().reveal(), bed.s3().secretKey().reveal());
    }

    @Test
    void aFailingImporterFailsTheStepWithItsLogInTheReport() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        target.createDatabase(MigrationBed.DATABASE);
        target.execute(MigrationBed.DATABASE, "CREATE TABLE leftover (id int)");
        everest.serve("shop-fail", target);

        RunReport report = bed.run(migration("shop-fail", target, Map.of()), bed.stateDirectory("everest-fail"), Map.of(), null, null);

        StepRecord imported = step(report, "everest-import");
        assertThat(imported.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(imported.error.code()).isEqualTo("IMPORT_FAILED");
        assertThat(imported.error.why()).contains("Data import job failed", "ferry importer: FAILED", "is not empty");
        assertThat(imported.notes).anyMatch(n -> n.contains("last lines of the importer's log"))
                .anyMatch(n -> n.contains("ferry importer: FAILED"));
        assertThat(step(report, "smoke-test").status).isEqualTo(StepRecord.Status.PENDING);
    }

    /** Runs a migration that everest-preflight must refuse, and checks the dump did not run and nothing was created. */
    private StepRecord refusedBeforeAnythingIsCreated(String name, Map<String, String> extra) {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        RunReport report = bed.run(migration(name, target, extra), bed.stateDirectory(name), Map.of(), null, null);
        StepRecord preflight = step(report, "everest-preflight");
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(report, "dump").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(clusters()).isEmpty();
        assertThat(kubernetes.secrets().inNamespace("everest").list().getItems()).isEmpty();
        return preflight;
    }

    @Test
    void aMissingImporterIsRefusedBeforeTheDumpAndBeforeAnythingIsCreated() {
        StepRecord preflight = refusedBeforeAnythingIsCreated("shop-none", Map.of("everest.importer", "ferry-nowhere"));
        assertThat(preflight.error.code()).isEqualTo("EVEREST");
        assertThat(preflight.error.what()).contains("DataImporter ferry-nowhere does not exist");
    }

    @Test
    void anEngineTheImporterDoesNotSupportIsRefused() {
        StepRecord preflight = refusedBeforeAnythingIsCreated("shop-pxc", Map.of("everest.engine", "pxc"));
        assertThat(preflight.error.what()).contains("ferry-postgresql-logical does not import into pxc");
    }

    @Test
    void aVersionThatDoesNotFitTheSourceIsRefusedBeforeAnythingIsCreated() {
        StepRecord preflight = refusedBeforeAnythingIsCreated("shop-old", Map.of("everest.engineVersion", "14.13"));
        assertThat(preflight.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(preflight.error.why()).contains("14.13");
    }

    @Test
    void aConfigOutsideTheSchemaIsRefused() {
        StepRecord preflight = refusedBeforeAnythingIsCreated("shop-config", Map.of("everest.config.parallel", "4", "everest.config.jobs", "0"));
        assertThat(preflight.error.why()).contains("config.parallel is not a property", "config.jobs must be at least 1");
    }

    @Test
    void aResumedRunAdoptsTheClusterItCreatedAndAForeignOneIsRefused() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        everest.pause("shop-resume");
        everest.serve("shop-resume", target);
        Path file = migration("shop-resume", target, Map.of("everest.timeoutSeconds", "{{sys:ferry.test.everestTimeout}}"));

        System.setProperty("ferry.test.everestTimeout", "2");
        RunReport first = bed.run(file, bed.stateDirectory("everest-resume"), Map.of(), null, null);
        assertThat(step(first, "everest-import").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(first, "everest-import").error.why()).contains("did not finish");

        everest.resume("shop-resume");
        System.setProperty("ferry.test.everestTimeout", "120");
        RunReport resumed = bed.resume(first.runId(), bed.stateDirectory("everest-resume"));

        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "upload").status).isEqualTo(StepRecord.Status.RESTORED);
        assertThat(step(resumed, "everest-import").notes).anyMatch(n -> n.contains("exists with the same import spec: adopted"));
        assertThat(clusters()).hasSize(1);

        // the same cluster name for another artifact is not this run's cluster
        RunReport other = bed.run(file, bed.stateDirectory("everest-other"), Map.of(), null, null);
        assertThat(step(other, "everest-import").error.what()).contains("already exists with a different spec");
        assertThat(step(other, "everest-import").error.why()).contains("spec.dataSource.dataImport");
    }

    @Test
    void theRestTransportLogsInAndDrivesTheSameImport() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        everest.serve("shop-rest", target);
        try (EverestRestStandIn rest = EverestRestStandIn.start(kubernetes, "admin", "everest-admin-pw")) {
            Path passwordFile = Files.writeString(bed.folder().resolve("everest-password"), "everest-admin-pw");
            Map<String, String> extra = Map.of("everest.transport", "rest", "everest.url", rest.url().toString(),
                    "everest.user", "admin", "everest.passwordFile", passwordFile.toString());

            RunReport report = bed.run(migration("shop-rest", target, extra), bed.stateDirectory("everest-rest"), Map.of(), null, null);

            assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
            assertThat(rest.calls()).contains("POST /v1/session", "GET /v1/data-importers",
                    "POST /v1/namespaces/everest/database-clusters/shop-rest/secret", "POST /v1/namespaces/everest/database-clusters",
                    "GET /v1/namespaces/everest/database-clusters/shop-rest/data-import-jobs");
            assertThat(rest.unauthorised()).isZero();
            assertThat(Json.MAPPER.writeValueAsString(report)).doesNotContain("everest-admin-pw");
        }
    }
}
