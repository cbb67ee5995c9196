package dev.ferry.pipeline;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.ManifestJson;
import dev.ferry.testing.DamageCheck;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Outage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mysql-logical pipeline end to end on real MariaDB servers and a real S3 server. */
class MySqlLogicalPipelineTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(2);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private static Path migration(String name, LocalMariaDb target, Map<String, String> extra, String moreYaml) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.putAll(extra);
        return bed.migration(name, "mysql-logical", parameters, moreYaml);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    /** The user tables in the target database; 0 when the database does not exist (preflight creates nothing). */
    private static long userTables(LocalMariaDb server) {
        if ("0".equals(server.queryValue("information_schema",
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + MigrationBed.DATABASE + "'"))) {
            return 0;
        }
        return Long.parseLong(server.queryValue(MigrationBed.DATABASE,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()"));
    }

    private static ArtifactFolder folder(RunReport report) {
        return ArtifactLayout.parse(report.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "")).orElseThrow();
    }

    @Test
    void migratesEverythingIncludingEmojiBlobsJsonTriggersRoutinesEventsAndViews() {
        LocalMariaDb target = bed.newMariaDbTarget();
        RunReport report = bed.run(migration("mysql-end-to-end", target, Map.of(), null), bed.stateDirectory("e2e"), Map.of(), null, null);

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).allMatch(s -> s.status == StepRecord.Status.PASSED);
        assertThat(step(report, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
        for (String sql : List.of(
                "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
                "SELECT count(*) FROM information_schema.routines WHERE routine_schema = DATABASE()",
                "SELECT count(*) FROM information_schema.events WHERE event_schema = DATABASE()",
                "SELECT count(*) FROM information_schema.views WHERE table_schema = DATABASE()")) {
            String expected = bed.source().queryValue(MigrationBed.DATABASE, sql);
            assertThat(Long.parseLong(expected)).as(sql).isPositive();
            assertThat(target.queryValue(MigrationBed.DATABASE, sql)).as(sql).isEqualTo(expected);
        }
        String emoji = "SELECT count(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND data_type = 'json'";
        assertThat(target.queryValue(MigrationBed.DATABASE, emoji)).isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, emoji));
        Manifest manifest = bed.artifacts().readManifest(folder(report), "test");
        assertThat(manifest.engine()).isEqualTo("mariadb");
        assertThat(manifest.toolName()).isEqualTo("mariadb-dump");
        assertThat(manifest.objects()).extracting(Manifest.StoredObject::name).containsExactly("database.sql");
    }

    @Test
    void importJobsTwoLoadsTheRowsWithTwoSessionsWhileTheDumpUploads() {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path state = bed.stateDirectory("two-sessions");
        RunReport report = bed.run(migration("mysql-two-sessions", target, Map.of("import.jobs", "2", "storage.prefix", "two-sessions"),
                null), state, Map.of(), null, null);

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(report, "upload").notes)
                .anyMatch(n -> n.startsWith("restoring into the staging database"))
                .anyMatch(n -> n.contains("loaded rows with 2 client sessions beside the main one") && n.contains("LOCK/UNLOCK TABLES"));
        assertThat(step(report, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
        for (String sql : List.of(
                "SELECT count(*) FROM order_audit",
                "SELECT count(*) FROM order_items",
                "SELECT GROUP_CONCAT(trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
                "SELECT GROUP_CONCAT(routine_name ORDER BY routine_name) FROM information_schema.routines WHERE routine_schema = DATABASE()",
                "SELECT GROUP_CONCAT(event_name) FROM information_schema.events WHERE event_schema = DATABASE()",
                "SELECT count(*) FROM customer_order_counts",
                "SELECT GROUP_CONCAT(HEX(code) ORDER BY code) FROM tags")) {
            String expected = bed.source().queryValue(MigrationBed.DATABASE, sql);
            assertThat(target.queryValue(MigrationBed.DATABASE, sql)).as(sql).isNotNull().isEqualTo(expected);
        }
        // the same verification fails on one changed row of the copy, and passes again once it is undone
        new DamageCheck(bed, target, state, report.runId()).assertNamed(
                "UPDATE order_items SET quantity = quantity + 1 WHERE order_id = (SELECT MIN(order_id) FROM (SELECT order_id FROM order_items) o) AND line = 1",
                "UPDATE order_items SET quantity = quantity - 1 WHERE order_id = (SELECT MIN(order_id) FROM (SELECT order_id FROM order_items) o) AND line = 1",
                "table order_items");
    }

    @Test
    void aDamagedObjectIsDetectedWhileTwoSessionsLoadItAndTheImportUndone() throws IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("mysql-corrupted-two", target, Map.of("import.verifyFirstMb", "0", "import.jobs", "2",
                "storage.prefix", "corrupted-two"), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("corrupted-two"), Map.of(), null, "upload");
        Path stored = bed.s3().basedir().resolve(MigrationBed.BUCKET).resolve(folder(uploaded).objectKey("database.sql.zst"));
        try (RandomAccessFile bytes = new RandomAccessFile(stored.toFile(), "rw")) {
            bytes.seek(bytes.length() / 2);
            int original = bytes.read();
            bytes.seek(bytes.length() / 2);
            bytes.write(original ^ 0x5A);
        }

        RunReport refused = bed.run(file, bed.stateDirectory("corrupted-two"), Map.of("artifact", uploaded.artifact()),
                "verify-versions", null);

        StepRecord importStep = step(refused, "import");
        assertThat(importStep.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(importStep.error.code()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(importStep.notes).anyMatch(n -> n.contains("the partial import went into a staging database, now dropped"));
        assertThat(userTables(target)).isZero();
        assertThat(target.queryValue("information_schema", "SELECT count(*) FROM information_schema.schemata"
                + " WHERE schema_name = 'shop_ferry_" + refused.runId().replace('-', '_') + "'")).as("its staging database was dropped")
                .isEqualTo("0");
    }

    @Test
    void aSourceTableNamedLikeTheStagedImportsOwnIsRefusedBeforeAnythingIsDumped() {
        LocalMariaDb source = (LocalMariaDb) bed.source();
        source.createDatabase("clash");
        source.execute("clash", "CREATE TABLE ferry_move_plan (id int)");
        source.execute("clash", "CREATE TABLE orders (id int)");
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("mysql-clash", target, Map.of("source.database", "clash", "target.database", "clash"), null);

        RunReport refused = bed.run(file, bed.stateDirectory("clash"), Map.of(), null, null);

        assertThat(step(refused, "preflight").error.code()).isEqualTo("BAD_INPUT");
        assertThat(step(refused, "preflight").error.what()).contains("has table(s) named ferry_move_plan");
        assertThat(step(refused, "dump").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(target.queryValue("information_schema", "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'clash%'"))
                .isEqualTo("0");
    }

    @Test
    void refusesANonEmptyTargetUnlessCleanIsSet() {
        LocalMariaDb target = bed.newMariaDbTarget();
        target.createDatabase(MigrationBed.DATABASE);
        target.execute(MigrationBed.DATABASE, "CREATE TABLE keep_me (id int)");
        Path file = migration("mysql-non-empty", target, Map.of(), null);

        RunReport refused = bed.run(file, bed.stateDirectory("non-empty"), Map.of(), null, null);
        assertThat(step(refused, "preflight").error.code()).isEqualTo("TARGET_NOT_EMPTY");
        assertThat(step(refused, "dump").status).isEqualTo(StepRecord.Status.PENDING);

        RunReport cleaned = bed.run(file, bed.stateDirectory("non-empty"), Map.of("clean", "true"), null, null);
        StepRecord smoke = step(cleaned, "smoke-test");
        assertThat(smoke.status).isEqualTo(StepRecord.Status.FAILED);
        // clean drops what the dump brings, not what only the target has: the smoke test says so
        assertThat(cleaned.differences()).contains("table keep_me is in the target but not in the snapshot");
    }

    @Test
    void aDamagedObjectStreamingIntoTheClientIsDetectedAndTheImportUndone() throws IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("mysql-corrupted", target, Map.of("import.verifyFirstMb", "0"), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("corrupted"), Map.of(), null, "upload");
        Path stored = bed.s3().basedir().resolve(MigrationBed.BUCKET).resolve(folder(uploaded).objectKey("database.sql.zst"));
        try (RandomAccessFile bytes = new RandomAccessFile(stored.toFile(), "rw")) {
            bytes.seek(bytes.length() - 200);
            int original = bytes.read();
            bytes.seek(bytes.length() - 200);
            bytes.write(original ^ 0x5A);
        }

        RunReport refused = bed.run(file, bed.stateDirectory("corrupted"), Map.of("artifact", uploaded.artifact()), "verify-versions", null);

        StepRecord importStep = step(refused, "import");
        assertThat(importStep.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(importStep.error.code()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(importStep.notes).anyMatch(n -> n.contains("the partial import went into a staging database, now dropped"));
        assertThat(userTables(target)).isZero();
    }

    @Test
    void refusesAnArtifactOfAnotherFlavourOrANewerVersion() {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("mysql-versions", target, Map.of(), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("versions"), Map.of(), null, "upload");
        ArtifactFolder folder = folder(uploaded);
        Manifest real = bed.artifacts().readManifest(folder, "test");

        rewriteManifest(folder, real, "mysql", "8.0.36");
        RunReport crossFlavour = bed.run(file, bed.stateDirectory("versions"), Map.of("artifact", uploaded.artifact()), "verify-versions", null);
        assertThat(step(crossFlavour, "verify-versions").error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(step(crossFlavour, "verify-versions").error.what()).contains("different database flavours");
        assertThat(step(crossFlavour, "verify-versions").error.next()).contains("allowCrossFlavour");

        rewriteManifest(folder, real, "mariadb", "11.4.2-MariaDB");
        RunReport newer = bed.run(file, bed.stateDirectory("versions"), Map.of("artifact", uploaded.artifact()), "verify-versions", null);
        assertThat(step(newer, "verify-versions").error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(step(newer, "verify-versions").error.why()).contains("11.4.2", "10.11");
        assertThat(userTables(target)).isZero();
    }

    private static void rewriteManifest(ArtifactFolder folder, Manifest real, String engine, String serverVersion) {
        Manifest changed = new Manifest(real.formatVersion(), engine, serverVersion, real.toolName(), real.toolVersion(), real.format(),
                real.compression(), real.createdAt(), real.finishedAt(), real.source(), real.objects(), real.figures());
        bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(folder.manifestKey()),
                RequestBody.fromBytes(ManifestJson.write(changed)));
    }

    @Test
    void resumesAfterAFailedImport() {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("mysql-resume", target, Map.of("step.verify-versions", "direct:verify-then-lose-the-target"), """
                - route:
                    id: verify-then-lose-the-target
                    from:
                      uri: "direct:verify-then-lose-the-target"
                      steps:
                        - to: "ferry:verify-versions"
                        - to: "class:dev.ferry.testing.Outage?method=stopTarget"
                """);
        Path state = bed.stateDirectory("resume");
        Outage.arm(target);
        RunReport failed = bed.run(file, state, Map.of(), null, null);
        assertThat(step(failed, "import").status).isEqualTo(StepRecord.Status.FAILED);

        target.restart();
        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "upload").status).isEqualTo(StepRecord.Status.RESTORED);
        List<JournalEvent> journal = RunJournal.read(Path.of(resumed.journal()).getParent());
        assertThat(journal).filteredOn(e -> "dump".equals(e.step()) && JournalEvent.STEP_STARTED.equals(e.event())).hasSize(1);
    }
}
