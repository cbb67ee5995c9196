package dev.ferry.everest;

import dev.ferry.everest.api.EverestResources;
import dev.ferry.everest.api.EverestDocuments;

import dev.ferry.kubernetes.MockKubeconfig;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.PgBackRestBed;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-physical-to-everest pipeline: the real pgBackRest 2.45 backs up a PostgreSQL 15
 * source with archiving into s3proxy over HTTPS ({@code https://localhost:<port>}: pgBackRest
 * matches certificates by DNS name only), and the Everest simulation on the fabric8 mock API server
 * plays the built-in {@code everest-percona-pg-operator} for real ({@link BuiltInPostgresImporter}):
 * a pgbackrest restore of the label from the cluster's dataImport path into a new data directory, a
 * server started on it, whose host and port become the cluster's status for the smoke test.
 */
@EnableKubernetesMockClient(crud = true)
class EverestPhysicalImportTest {

    KubernetesClient kubernetes;

    static PgBackRestBed physical;
    static MigrationBed bed;
    static Path shared;
    Path kubeconfig;
    EverestSimulation everest;
    BuiltInPostgresImporter builtIn;

    @BeforeAll
    static void startServers() {
        physical = PgBackRestBed.start();
        bed = physical.bed();
        shared = physical.shared();
    }

    @AfterAll
    static void stopServers() {
        if (physical != null) {
            physical.close();
        }
    }

    @BeforeEach
    void installEverest() throws IOException {
        Path folder = Files.createTempDirectory(bed.folder(), "kube");
        kubeconfig = MockKubeconfig.write(kubernetes, folder);
        // the built-in as Everest's Helm chart installs it: postgresql, no config schema, no required fields
        GenericKubernetesResource importer = new GenericKubernetesResource();
        importer.setApiVersion(EverestResources.API_VERSION);
        importer.setKind("DataImporter");
        importer.setMetadata(new ObjectMetaBuilder().withName(EverestSimulation.BUILT_IN_POSTGRESQL).build());
        importer.setAdditionalProperty("spec", Map.of("displayName", "Percona PostgreSQL Operator", "supportedEngines", List.of("postgresql"),
                "jobSpec", Map.of("image", "perconalab/everest-data-importers:latest")));
        kubernetes.genericKubernetesResources(EverestResources.DATA_IMPORTER).resource(importer).create();
        everest = new EverestSimulation(kubernetes, folder, kubeconfig);
        builtIn = new BuiltInPostgresImporter(shared, PostgresBinaries.system(), bed.source().password());
        everest.builtInPostgresql = builtIn;
    }

    @AfterEach
    void stopEverest() throws InterruptedException {
        everest.close();
        builtIn.close();
    }

    private void offer(String... versions) {
        Map<String, Object> available = new LinkedHashMap<>();
        for (String version : versions) {
            available.put(version, Map.of("status", "available"));
        }
        GenericKubernetesResource engine = new GenericKubernetesResource();
        engine.setApiVersion(EverestResources.API_VERSION);
        engine.setKind("DatabaseEngine");
        engine.setMetadata(new ObjectMetaBuilder().withName("percona-postgresql-operator").withNamespace(EverestSimulation.NAMESPACE).build());
        engine.setAdditionalProperty("spec", Map.of("type", "postgresql"));
        engine.setAdditionalProperty("status", Map.of("status", "installed", "availableVersions", Map.of("engine", available)));
        kubernetes.genericKubernetesResources(EverestResources.DATABASE_ENGINE).inNamespace(EverestSimulation.NAMESPACE)
                .resource(engine).create();
    }

    private Path migration(String name, String prefix, Map<String, String> extra) {
        Map<String, String> settings = physical.settings(prefix, shared.resolve("etc-" + name + "/pgbackrest.conf"));
        settings.keySet().removeIf(k -> k.startsWith("target.") && !k.equals("target.database"));
        // the restored cluster keeps the source's roles: the user Secret must hold the source's password
        settings.put("target.passwordFile", settings.get("source.passwordFile"));
        // the importer pod cannot be given a CA: DataImport's s3 has only verifyTLS
        settings.put("storage.verifyTls", "false");
        settings.put("everest.cluster", name);
        settings.put("everest.kubeconfig", kubeconfig.toString());
        settings.put("everest.pollMillis", "200");
        settings.putAll(extra);
        return bed.migration(name, "postgres-physical-to-everest", settings, null);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    private List<GenericKubernetesResource> clusters() {
        return kubernetes.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(EverestSimulation.NAMESPACE)
                .list().getItems();
    }

    private void assertNothingCreated(String prefix) {
        assertThat(clusters()).isEmpty();
        assertThat(kubernetes.secrets().inNamespace(EverestSimulation.NAMESPACE).list().getItems()).isEmpty();
        assertThat(bed.s3().basedir().resolve(MigrationBed.BUCKET).resolve(prefix)).doesNotExist();
        assertThat(builtIn.restores).isEmpty();
    }

    @Test
    void restoresTheFullBackupThroughTheBuiltInImporterAndComparesTheNewClusterWithTheSource() throws IOException {
        offer("14.13", "15.7", "15.8", "16.4");
        Path file = migration("shop-physical", "physical-everest/ok", Map.of());

        RunReport report = bed.run(file, bed.stateDirectory("physical-everest-ok"), Map.of(), null, null);

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("collect-source-credentials", "everest-preflight", "setup",
                "backup", "info", "everest-import", "smoke-test");
        String label = (String) step(report, "backup").figures.get("label");
        assertThat(label).matches("\\d{8}-\\d{6}F");
        assertThat(step(report, "everest-preflight").figures).containsEntry("pgbackrest", "2.45");
        assertThat(step(report, "everest-preflight").notes).anySatisfy(n -> assertThat(n).contains("policy identical",
                "no config sent"));
        StepRecord imported = step(report, "everest-import");
        // the newest 15.x: the source's major, identical policy
        assertThat(imported.figures).containsEntry("engine", "postgresql 15.8")
                .containsEntry("importer", "everest-percona-pg-operator")
                .containsEntry("path", "/physical-everest/ok/backup/db/" + label + "/");
        GenericKubernetesResource cluster = clusters().get(0);
        Map<String, Object> dataImport = EverestDocuments.map(cluster.getAdditionalProperties(), "spec", "dataSource", "dataImport");
        assertThat(dataImport).containsEntry("dataImporterName", "everest-percona-pg-operator").doesNotContainKey("config");
        assertThat(EverestDocuments.at(dataImport, "source", "path")).isEqualTo("/physical-everest/ok/backup/db/" + label + "/");
        assertThat(EverestDocuments.at(dataImport, "source", "s3", "forcePathStyle")).isEqualTo(true);
        assertThat(kubernetes.secrets().inNamespace("everest").withName("cred-secret-shop-physical").get()).isNotNull();
        assertThat(kubernetes.secrets().inNamespace("everest").withName("everest-secrets-shop-physical").get()).isNotNull();
        assertThat(builtIn.restores).containsExactly("repo1-path=/physical-everest/ok --set=" + label
                + " --type=immediate --target-action=promote");
        assertThat(everest.importerLog("data-import-shop-physical-3f2a9c")).contains("restored " + label, "promoted");
        // the smoke test compared the source with the restored cluster; the data is really there
        assertThat(step(report, "smoke-test").status).isEqualTo(StepRecord.Status.PASSED);
        String port = EverestDocuments.text(clusters().get(0).getAdditionalProperties(), "status", "port");
        assertThat(port).isNotEqualTo(Integer.toString(bed.source().port()));
        assertThat(step(report, "everest-import").notes).anySatisfy(n -> assertThat(n).contains("is ready at", ":" + port));
        String reportJson = Files.readString(Path.of(report.journal()).resolveSibling("report.json"));
        assertThat(reportJson).doesNotContain(bed.source().password().reveal(), bed.s3().secretKey().reveal());
    }

    @Test
    void aBackupThatIsNotFullIsRefusedBeforeAnythingIsBackedUpOrCreated() {
        offer("15.8");
        Path file = migration("shop-incr", "physical-everest/incr", Map.of("pgbackrest.backupType", "incr"));

        RunReport report = bed.run(file, bed.stateDirectory("physical-everest-incr"), Map.of(), null, null);

        StepRecord preflight = step(report, "everest-preflight");
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("BAD_INPUT");
        assertThat(preflight.error.what()).contains("restores full pgBackRest backups only");
        assertThat(step(report, "setup").status).isEqualTo(StepRecord.Status.PENDING);
        assertNothingCreated("physical-everest/incr");
    }

    @Test
    void anEverestWithoutTheSourcesMajorVersionIsRefusedBeforeAnythingIsBackedUpOrCreated() {
        offer("16.4", "17.2");
        Path file = migration("shop-mismatch", "physical-everest/mismatch", Map.of());

        RunReport report = bed.run(file, bed.stateDirectory("physical-everest-mismatch"), Map.of(), null, null);

        StepRecord preflight = step(report, "everest-preflight");
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(preflight.error.why()).contains("identical", "16.4", "17.2");
        assertThat(step(report, "setup").status).isEqualTo(StepRecord.Status.PENDING);
        assertNothingCreated("physical-everest/mismatch");
    }
}
