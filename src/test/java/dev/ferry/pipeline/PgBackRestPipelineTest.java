package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.JujuStandIn;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.PgBackRestBed;
import dev.ferry.testing.RepositoryDamage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-physical pipeline with the real pgBackRest 2.45 against a PostgreSQL 15 source with
 * archiving on and s3proxy over HTTPS (TLS verified against its certificate): backup, info, a
 * restore into a new data directory, a server started on it and compared with the source; a
 * source that does not archive; a major version mismatch refused before any restore; a broken
 * repository reported although pgbackrest info exits 0; and the charm path with the stand-in juju.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgBackRestPipelineTest {

    static PgBackRestBed physical;
    static MigrationBed bed;
    static Path shared;

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

    private static Map<String, String> settings(String prefix, int targetPort) {
        Map<String, String> settings = physical.settings(prefix, shared.resolve("etc/pgbackrest.conf"));
        settings.put("target.port", Integer.toString(targetPort));
        // after a physical restore the target's roles and passwords are the source's
        settings.put("target.passwordFile", settings.get("source.passwordFile"));
        settings.put("storage.caBundle", bed.s3().caCertificatePem().toString());
        settings.put("restore.dataDirectory", shared.resolve("restore-" + prefix.replace('/', '-')).resolve("data").toString());
        return settings;
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path repository(String prefix) {
        return bed.s3().basedir().resolve(MigrationBed.BUCKET).resolve(prefix);
    }

    @Test
    @Order(1)
    void aSourceThatDoesNotArchiveIsRefusedWithWhatToSet() throws IOException {
        Map<String, String> settings = settings("physical/refused", freePort());
        settings.put("pgbackrest.configureArchiving", "false");
        Path file = bed.migration("physical-refused", "postgres-physical", settings, null);

        RunReport report = bed.run(file, bed.stateDirectory("physical-refused"), Map.of(), null, null);

        assertThat(report.status()).isEqualTo(RunReport.FAILED);
        StepRecord setup = step(report, "setup");
        assertThat(setup.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(setup.error.code()).isEqualTo("ARCHIVING");
        assertThat(setup.error.why()).contains("archive_mode=on", "archive_command=''",
                "--config=" + shared.resolve("etc/pgbackrest.conf") + " --stanza=db archive-push %p");
        assertThat(setup.error.next()).contains("pgbackrest.configureArchiving: true");
        assertThat(step(report, "backup").status).isEqualTo(StepRecord.Status.PENDING);
    }

    @Test
    @Order(2)
    void backsUpThroughHttpsRestoresIntoANewDataDirectoryAndMatchesTheSource() throws IOException {
        int port = freePort();
        Map<String, String> settings = settings("physical/direct", port);
        Path file = bed.migration("physical-direct", "postgres-physical", settings, null);
        Path restored = Path.of(settings.get("restore.dataDirectory")).getParent();
        RunReport report;
        try {
            report = bed.run(file, bed.stateDirectory("physical-direct"), Map.of(), null, null);
        } finally {
            if (Files.exists(restored.resolve("data/postmaster.pid"))) {
                LocalPostgres.onExistingData(PostgresBinaries.system(), restored, bed.source().password()).close();
            }
        }

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("collect-credentials", "preflight", "setup", "backup",
                "info", "verify-versions", "import", "smoke-test");
        assertThat(report.steps()).allMatch(s -> s.status == StepRecord.Status.PASSED);
        assertThat(step(report, "setup").notes).anySatisfy(n -> assertThat(n).contains("applied with ALTER SYSTEM",
                "archive_command"));
        String label = (String) step(report, "backup").figures.get("label");
        assertThat(label).matches("\\d{8}-\\d{6}F");
        StepRecord info = step(report, "info");
        assertThat(info.figures).containsEntry("postgresVersion", "15").containsEntry("pgbackrestVersion", "2.45")
                .containsEntry("backupPath", "/physical/direct/backup/db/" + label);
        assertThat(info.figures.get("systemId")).isEqualTo(step(report, "setup").figures.get("systemId"));
        assertThat(step(report, "verify-versions").notes).anySatisfy(n -> assertThat(n).contains("policy identical",
                "made by pgBackRest 2.45", "restored by pgBackRest 2.45"));
        // the layout both Everest's importer and the charm read: <prefix>/backup/db/<label>, stanza db alone
        assertThat(repository("physical/direct").resolve("backup/db/" + label + "/backup.manifest")).exists();
        assertThat(Files.list(repository("physical/direct").resolve("backup")).map(p -> p.getFileName().toString()))
                .containsExactly("db");
        Path config = shared.resolve("etc/pgbackrest.conf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains("repo1-path=/physical/direct", "repo1-s3-uri-style=path",
                "repo1-storage-ca-file=", "[db]").doesNotContain("repo1-storage-verify-tls");
        String secret = bed.s3().secretKey().reveal();
        for (Path written : List.of(Path.of(report.journal()), Path.of(report.journal()).resolveSibling("report.json"))) {
            assertThat(Files.readString(written)).as(written.toString()).doesNotContain(secret)
                    .doesNotContain(bed.source().password().reveal()).contains(label);
        }
    }

    @Test
    @Order(3)
    void aDifferentMajorVersionIsRefusedBeforeAnythingIsBackedUpOrRestored() throws IOException {
        Map<String, String> settings = settings("physical/mismatch", freePort());
        settings.put("restore.pgBin", PostgresBinaries.bundled(13).binDirectory().toString());
        Path file = bed.migration("physical-mismatch", "postgres-physical", settings, null);

        RunReport report = bed.run(file, bed.stateDirectory("physical-mismatch"), Map.of(), null, null);

        StepRecord preflight = step(report, "preflight");
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(preflight.error.why()).contains("policy identical needs the same major version");
        assertThat(step(report, "import").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(Path.of(settings.get("restore.dataDirectory"))).doesNotExist();
        assertThat(repository("physical/mismatch")).doesNotExist();
    }

    @Test
    @Order(4)
    void theCharmPathConfiguresTheIntegratorPassesTheKeysInAParamsFileAndFollowsTheRestore() throws IOException {
        String secret = bed.s3().secretKey().reveal();
        JujuStandIn juju = charm("charm-ok", "15.13", "maintenance", "restoring backup", "active", "");
        Map<String, String> settings = charmSettings("physical/charm", juju);
        Path file = bed.migration("physical-charm", "postgres-physical", settings, null);

        RunReport report = bed.run(file, bed.stateDirectory("physical-charm"), Map.of(), null, "import");

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PARTIAL);
        String label = (String) step(report, "backup").figures.get("label");
        String backupId = label.substring(0, 4) + "-" + label.substring(4, 6) + "-" + label.substring(6, 8) + "T"
                + label.substring(9, 11) + ":" + label.substring(11, 13) + ":" + label.substring(13, 15) + "Z";
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(bed.s3().caCertificatePem()));
        List<String> calls = juju.calls();
        assertThat(calls).contains(
                "config s3-integrator endpoint=" + bed.s3().httpsEndpoint().toString().replace("127.0.0.1", "localhost") + " bucket=" + MigrationBed.BUCKET
                        + " path=/physical/charm region=us-east-1 s3-uri-style=path tls-ca-chain=" + ca + " -m prod:databases",
                "run postgresql/leader restore backup-id=" + backupId + " --format=json -m prod:databases");
        assertThat(calls).anySatisfy(call -> assertThat(call).matches(
                "run s3-integrator/leader sync-s3-credentials --params \\S+juju-params-\\S+\\.yaml --format=json -m prod:databases"));
        assertThat(calls).allSatisfy(call -> assertThat(call).doesNotContain(secret));
        assertThat(Files.readString(juju.folder().resolve("params-sync-s3-credentials.yaml")))
                .contains("access-key: \"" + bed.s3().accessKey() + "\"", "secret-key: \"" + secret + "\"");
        assertThat(step(report, "import").notes).anySatisfy(n -> assertThat(n).contains("is maintenance \"restoring backup\""))
                .anySatisfy(n -> assertThat(n).contains("keys passed in a 0600 --params file"));
        try (var left = Files.walk(Path.of(report.journal()).getParent())) {
            assertThat(left.map(Path::toString)).noneMatch(p -> p.contains("juju-params-"));
        }
        assertThat(Files.readString(Path.of(report.journal()))).doesNotContain(secret);
    }

    @Test
    @Order(5)
    void theCharmsFailedRestoreFailsTheImportWithItsMessage() throws IOException {
        JujuStandIn juju = charm("charm-failed", "15.13", "maintenance", "restoring backup", "blocked", "Failed to restore backup");
        Path file = bed.migration("physical-charm-failed", "postgres-physical", charmSettings("physical/charm-failed", juju), null);

        RunReport report = bed.run(file, bed.stateDirectory("physical-charm-failed"), Map.of(), null, "import");

        StepRecord importStep = step(report, "import");
        assertThat(importStep.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(importStep.error.code()).isEqualTo("RESTORE_FAILED");
        assertThat(importStep.error.why()).contains("postgresql/0 is blocked: Failed to restore backup");
    }

    @Test
    @Order(6)
    void anIncrementalBackupThenABrokenRepositoryIsAFailureThoughInfoExitsZero() throws IOException {
        Map<String, String> settings = settings("physical/direct", freePort());
        settings.put("pgbackrest.backupType", "incr");
        settings.put("step.info", "direct:damage-then-info");
        Path backupInfo = repository("physical/direct").resolve("backup/db");
        RepositoryDamage.arm(List.of(backupInfo.resolve("backup.info"), backupInfo.resolve("backup.info.copy")));
        Path file = bed.migration("physical-broken", "postgres-physical", settings, """
                - route:
                    id: damage-then-info
                    from:
                      uri: "direct:damage-then-info"
                      steps:
                        - to: "class:dev.ferry.testing.RepositoryDamage?method=damage"
                        - to: "ferry:pgbackrest-info"
                """);

        RunReport report = bed.run(file, bed.stateDirectory("physical-broken"), Map.of(), null, "info");

        assertThat((String) step(report, "backup").figures.get("label")).matches("\\d{8}-\\d{6}F_\\d{8}-\\d{6}I");
        StepRecord info = step(report, "info");
        assertThat(info.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(info.error.code()).isEqualTo("REPOSITORY");
        assertThat(info.error.why()).contains("pgbackrest info reports status", "it exits 0 all the same");
    }

    @Test
    @Order(7)
    void thePlainServerExampleRunsThroughTheCommandLine() throws IOException {
        int port = freePort();
        Map<String, String> settings = settings("physical/example", port);
        Path restored = Path.of(settings.get("restore.dataDirectory")).getParent();
        Path state = bed.folder().resolve("physical-example");
        List<String> arguments = new java.util.ArrayList<>(List.of("run",
                MigrationBed.HOME.resolve("examples/postgres-physical-to-postgres/migration.camel.yaml").toString(),
                "--state-dir", state.toString(), "--report", state.resolve("report.json").toString()));
        for (String key : List.of("source.port", "target.port", "storage.endpoint", "storage.bucket", "storage.prefix",
                "storage.caBundle", "pgbackrest.configFile", "pgbackrest.logPath", "pgbackrest.lockPath", "restore.dataDirectory")) {
            arguments.addAll(List.of("--set", key + "=" + settings.get(key)));
        }
        arguments.addAll(List.of("--set", "restore.pgBin=" + PostgresBinaries.system().binDirectory()));
        Map<String, String> environment = Map.of("SOURCE_PGPASSWORD", bed.source().password().reveal(),
                "AWS_ACCESS_KEY_ID", bed.s3().accessKey(), "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal());
        dev.ferry.testing.FerryProcess.Result result;
        try {
            result = dev.ferry.testing.FerryProcess.run(state, environment, arguments);
        } finally {
            if (Files.exists(restored.resolve("data/postmaster.pid"))) {
                LocalPostgres.onExistingData(PostgresBinaries.system(), restored, bed.source().password()).close();
            }
        }

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("PASSED", "setup", "backup", "smoke-test")
                .doesNotContain(bed.s3().secretKey().reveal()).doesNotContain(bed.source().password().reveal());
    }

    private static JujuStandIn charm(String name, String version, String busy, String busyMessage, String end, String endMessage) {
        JujuStandIn juju = JujuStandIn.in(bed.folder().resolve(name));
        String[][] statuses = {{"active", ""}, {busy, busyMessage}, {end, endMessage}};
        for (int i = 0; i < statuses.length; i++) {
            juju.answer("status-postgresql." + (i + 1) + ".json", """
                    {"model": {"name": "databases"}, "applications": {"postgresql": {"charm": "postgresql", "version": "%s",
                      "units": {"postgresql/0": {"leader": true, "workload-status": {"current": "%s", "message": "%s"},
                        "public-address": "10.0.0.5"}}}}}
                    """.formatted(version, statuses[i][0], statuses[i][1]));
        }
        juju.answer("action-sync-s3-credentials.json", """
                {"s3-integrator/0": {"id": "7", "status": "completed", "results": {"return-code": 0}}}
                """);
        juju.answer("action-restore.json", """
                {"postgresql/0": {"id": "8", "status": "completed", "results": {"restore-status": "restore started", "return-code": 0}}}
                """);
        return juju;
    }

    private static Map<String, String> charmSettings(String prefix, JujuStandIn juju) throws IOException {
        Map<String, String> settings = settings(prefix, freePort());
        settings.remove("restore.dataDirectory");
        settings.put("step.import", "ferry:charm-restore");
        settings.put("target.juju.application", "postgresql");
        settings.put("target.juju.model", "databases");
        settings.put("target.juju.controller", "prod");
        settings.put("target.juju.binary", juju.binary().toString());
        settings.put("target.juju.pollMillis", "10");
        return settings;
    }
}
