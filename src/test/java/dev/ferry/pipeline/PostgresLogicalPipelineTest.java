package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Outage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The postgres-logical pipeline end to end on real PostgreSQL servers and a real S3 server. */
class PostgresLogicalPipelineTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 3);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private static Path migration(String name, LocalPostgres target, Map<String, String> extra, String moreYaml) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.putAll(extra);
        return bed.migration(name, "postgres-logical", parameters, moreYaml);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    /** The user tables in the target database; 0 when the database does not exist (the import never created it). */
    private static long userTables(LocalPostgres server) {
        if (!targetDatabaseExists(server)) {
            return 0;
        }
        return Long.parseLong(server.queryValue(MigrationBed.DATABASE,
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
    }

    private static boolean targetDatabaseExists(LocalPostgres server) {
        return "1".equals(server.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + MigrationBed.DATABASE + "'"));
    }

    @Test
    void migratesTheDatabaseEndToEndAndWritesAVerifiableArtifact() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("end-to-end", target, Map.of("check.orders.sql", "SELECT count(*) FROM orders",
                "check.orders.expect", "source"), null);

        RunReport report = bed.run(file, bed.stateDirectory("end-to-end"), Map.of(), null, null);

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).extracting(s -> s.id).containsExactly("collect-credentials", "preflight", "dump", "upload",
                "verify-versions", "import", "smoke-test");
        assertThat(report.steps()).allMatch(s -> s.status == StepRecord.Status.PASSED);
        assertThat(step(report, "upload").bytes).isPositive();
        assertThat(step(report, "smoke-test").figures).containsEntry("rows", (long) 3 * dev.ferry.local.SampleData.ROWS_PER_SCALE);
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));

        ArtifactFolder folder = ArtifactLayout.parse(report.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "")).orElseThrow();
        Manifest manifest = bed.artifacts().readManifest(folder, "test");
        assertThat(manifest.engine()).isEqualTo("postgresql");
        assertThat(manifest.compression()).isEqualTo("zstd");
        assertThat(manifest.toolName()).isEqualTo("pg_dump");
        assertThat(manifest.source().database()).isEqualTo(MigrationBed.DATABASE);
        assertThat(manifest.objects()).extracting(Manifest.StoredObject::name).containsExactly("globals.sql", "database.dump");
        assertThat(manifest.objects()).allSatisfy(o -> assertThat(o.sha256()).hasSize(64));

        List<JournalEvent> journal = RunJournal.read(Path.of(report.journal()).getParent());
        assertThat(journal).filteredOn(e -> JournalEvent.STEP_FINISHED.equals(e.event())).hasSize(7);
        assertThat(Path.of(report.journal()).resolveSibling("report.json")).exists();
    }

    @Test
    void refusesANonEmptyTargetBeforeAnyDumpUnlessCleanIsSet() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        target.createDatabase(MigrationBed.DATABASE);
        target.execute(MigrationBed.DATABASE, "CREATE TABLE orders (id int); INSERT INTO orders VALUES (1)");
        Path file = migration("non-empty", target, Map.of(), null);

        RunReport refused = bed.run(file, bed.stateDirectory("non-empty"), Map.of(), null, null);

        assertThat(refused.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(refused, "preflight").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(refused, "preflight").error.code()).isEqualTo("TARGET_NOT_EMPTY");
        assertThat(step(refused, "preflight").error.next()).contains("clean: true");
        assertThat(step(refused, "dump").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders")).isEqualTo("1");

        RunReport cleaned = bed.run(file, bed.stateDirectory("non-empty"), Map.of("clean", "true"), null, null);

        assertThat(cleaned.status()).as(String.valueOf(cleaned.error())).isEqualTo(RunReport.PASSED);
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
    }

    @Test
    void refusesAnOlderTargetServerBeforeTouchingIt() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.bundled(13));
        Path file = migration("older-target", target, Map.of(), null);

        RunReport report = bed.run(file, bed.stateDirectory("older-target"), Map.of(), null, null);

        StepRecord preflight = step(report, "preflight");
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(preflight.error.why()).contains("postgresql 15.", "postgresql 13.");
        assertThat(preflight.error.next()).contains("15 or newer");
        assertThat(step(report, "dump").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(targetDatabaseExists(target)).as("preflight creates nothing").isFalse();
    }

    @Test
    void theVersionCheckAfterTheUploadRefusesAnArtifactTooNewForTheTarget() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("artifact-first", target, Map.of(), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("verify"), Map.of(), null, "upload");
        assertThat(uploaded.status()).isEqualTo(RunReport.PARTIAL);

        LocalPostgres older = bed.newTarget(PostgresBinaries.bundled(13));
        Path toOlder = migration("artifact-to-older", older, Map.of("artifact", uploaded.artifact()), null);

        RunReport refused = bed.run(toOlder, bed.stateDirectory("verify"), Map.of(), "verify-versions", null);

        assertThat(step(refused, "preflight").status).isEqualTo(StepRecord.Status.PASSED);
        StepRecord verify = step(refused, "verify-versions");
        assertThat(verify.status).as(String.valueOf(refused.error())).isEqualTo(StepRecord.Status.FAILED);
        assertThat(verify.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(verify.error.why()).contains("15.", "13.");
        assertThat(step(refused, "import").status).isEqualTo(StepRecord.Status.PENDING);
        assertThat(userTables(older)).isZero();
    }

    @Test
    void refusesAFolderWithoutAManifest() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("no-manifest", target, Map.of(), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("no-manifest"), Map.of(), null, "upload");
        ArtifactFolder folder = ArtifactLayout.parse(uploaded.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "")).orElseThrow();
        bed.s3Client().deleteObject(r -> r.bucket(MigrationBed.BUCKET).key(folder.manifestKey()));
        assertThat(bed.artifacts().list(folder.prefix(), folder.database())).filteredOn(a -> a.folder().equals(folder))
                .extracting(StoredArtifact::complete).containsExactly(false);

        RunReport refused = bed.run(file, bed.stateDirectory("no-manifest"), Map.of("artifact", uploaded.artifact()),
                "verify-versions", null);

        StepRecord verify = step(refused, "verify-versions");
        assertThat(verify.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(verify.error.code()).isEqualTo("MANIFEST_MISSING");
        assertThat(userTables(target)).isZero();
    }

    @Test
    void detectsACorruptedObjectBeforeTheTargetCommitsAnything() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("corrupted", target, Map.of(), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("corrupted"), Map.of(), null, "upload");
        String key = uploaded.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "") + "database.dump.zst";
        Path stored = bed.s3().basedir().resolve(MigrationBed.BUCKET).resolve(key);
        assertThat(stored).exists();
        try (RandomAccessFile bytes = new RandomAccessFile(stored.toFile(), "rw")) {
            long middle = bytes.length() / 2;
            bytes.seek(middle);
            int original = bytes.read();
            bytes.seek(middle);
            bytes.write(original ^ 0xFF);
        }

        RunReport refused = bed.run(file, bed.stateDirectory("corrupted"), Map.of("artifact", uploaded.artifact()),
                "verify-versions", null);

        StepRecord importStep = step(refused, "import");
        assertThat(importStep.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(importStep.error.code()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(importStep.error.why()).contains("damaged");
        assertThat(targetDatabaseExists(target)).as("the damaged import went into a staging database, dropped since").isFalse();
    }

    @Test
    void resumesAfterAFailedImportWithoutDumpingAgain() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Map<String, String> extra = Map.of("step.verify-versions", "direct:verify-then-lose-the-target");
        Path file = migration("resume", target, extra, """
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

        assertThat(failed.status()).isEqualTo(RunReport.FAILED);
        assertThat(step(failed, "upload").status).isEqualTo(StepRecord.Status.PASSED);
        assertThat(step(failed, "import").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(step(failed, "import").error.code()).isIn("CONNECTION", "CREDENTIALS", "CHILD_PROCESS");

        target.restart();
        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(resumed.runId()).isEqualTo(failed.runId());
        assertThat(step(resumed, "dump").status).isEqualTo(StepRecord.Status.RESTORED);
        assertThat(step(resumed, "upload").status).isEqualTo(StepRecord.Status.RESTORED);
        assertThat(step(resumed, "import").status).isEqualTo(StepRecord.Status.PASSED);
        assertThat(step(resumed, "smoke-test").status).isEqualTo(StepRecord.Status.PASSED);
        assertThat(resumed.artifact()).isEqualTo(failed.artifact());
        List<JournalEvent> journal = RunJournal.read(Path.of(resumed.journal()).getParent());
        assertThat(journal).filteredOn(e -> "upload".equals(e.step()) && JournalEvent.STEP_STARTED.equals(e.event())).hasSize(1);
        assertThat(journal).filteredOn(e -> JournalEvent.RUN_RESUMED.equals(e.event())).hasSize(1);
    }

    @Test
    void anArtifactUploadLeavesNoFilesOnLocalDisk() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path state = bed.stateDirectory("no-local-files");
        RunReport report = bed.run(migration("no-local-files", target, Map.of(), null), state, Map.of(), null, null);
        assertThat(report.status()).isEqualTo(RunReport.PASSED);
        try (Stream<Path> files = Files.walk(state.resolve("runs"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(RunJournal.FILE_NAME, "report.json");
        }
    }
}
