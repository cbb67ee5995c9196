package dev.ferry.faults;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes stopped and killed in the middle of a run: Ferry SIGKILLed during the import and
 * right after the target's commit, the target stopped during the restore at {@code import.jobs} 1
 * and 2, the source stopped during the dump, the S3 server killed during the upload and started
 * again. Each time the target holds the whole database or nothing, no child of Ferry's outlives it,
 * and a resume completes to a target the smoke test finds equal to the source.
 */
class ImportCrashFaultTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 12);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    /** Each test its own prefix: a killed run's writer lease stays until it expires. */
    static Path migration(String name, LocalPostgres target, Map<String, String> extra, String moreYaml) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "crash-" + name);
        parameters.putAll(extra);
        return bed.migration(name, "postgres-logical", parameters, moreYaml);
    }

    static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    static List<String> databases(LocalPostgres server) {
        return List.of(server.queryValue("postgres", "SELECT coalesce(string_agg(datname, ',' ORDER BY datname), '') FROM pg_database"
                + " WHERE datname LIKE '" + MigrationBed.DATABASE + "%'").split(",")).stream().filter(s -> !s.isEmpty()).toList();
    }

    static void assertEqualToSource(LocalPostgres target) {
        for (String table : List.of("customers", "products", "orders", "order_items")) {
            assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table)).as(table)
                    .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table));
        }
    }

    static String runIdIn(Path state) throws IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
    }

    /** Waits for a process of this program among the descendants of {@code parent}. */
    static Optional<ProcessHandle> await(ProcessHandle parent, String program, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            // the program at work, not its version probe in preflight
            Optional<ProcessHandle> found = parent.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/" + program)).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> !List.of(a).contains("--version")).orElse(false)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static void awaitEnd(ProcessHandle process, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    /**
     * Finding 2: SIGKILL of Ferry mid-import kills pg_restore too, leaves no target, and resume completes:
     * with the restore overlapping the upload (the default), after it, and with two workers building
     * indexes and constraints beside the load.
     */
    @ParameterizedTest(name = "import.jobs {0}, import.overlap {1}")
    @CsvSource({"1, true", "1, false", "2, true"})
    void ferryKilledMidImportTakesItsChildrenAlongAndResumes(int jobs, boolean overlap) throws Exception {
        String name = "killed-" + jobs + "-" + overlap;
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration(name, target, Map.of("import.jobs", Integer.toString(jobs), "import.overlap", Boolean.toString(overlap)), null);
        Path state = bed.stateDirectory(name);
        boolean restoredDuringUpload = overlap;
        ProcessHandle[] restore = new ProcessHandle[1];

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve(name + "-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    restore[0] = await(ferry.toHandle(), "pg_restore", Duration.ofSeconds(120)).orElseThrow();
                    ferry.destroyForcibly();
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        awaitEnd(restore[0], Duration.ofSeconds(10));
        assertThat(restore[0].isAlive()).as("pg_restore died with Ferry").isFalse();
        assertThat(databases(target)).as("no target database, at most the staging one").doesNotContain(MigrationBed.DATABASE);
        String runId = runIdIn(state);

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "upload").status)
                .as("the upload runs again when the kill came while it restored")
                .isEqualTo(restoredDuringUpload ? StepRecord.Status.PASSED : StepRecord.Status.RESTORED);
        assertThat(databases(target)).containsExactly(MigrationBed.DATABASE);
        assertEqualToSource(target);
        try (Stream<Path> files = Files.list(state.resolve("runs").resolve(runId))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.startsWith("spool-"));
        }
    }

    /** Finding 3: a crash right after the target's commit resumes to verification, without "not empty". */
    @Test
    void ferryKilledRightAfterTheTargetCommitResumesToVerification() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("after-commit", target, Map.of("step.import", "direct:import-then-die"), """
                - route:
                    id: import-then-die
                    from:
                      uri: "direct:import-then-die"
                      steps:
                        - to: "ferry:restore"
                        - to: "class:dev.ferry.testing.SelfKill?method=now"
                """);
        Path state = bed.stateDirectory("after-commit");

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("after-commit-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()));

        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        String runId = runIdIn(state);
        List<JournalEvent> journal = RunJournal.read(state.resolve("runs").resolve(runId));
        assertThat(journal).anyMatch(e -> JournalEvent.INTENT.equals(e.event()) && "import".equals(e.step()));
        assertThat(journal).noneMatch(e -> "import".equals(e.step()) && JournalEvent.STEP_FINISHED.equals(e.event()));
        assertThat(databases(target)).containsExactly(MigrationBed.DATABASE);

        migration("after-commit", target, Map.of(), null);
        RunReport resumed = new MigrationRunner(new RunOptions(MigrationBed.HOME, state, Map.of(), null, null, false, runId, null, null))
                .resume(runId, true);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "import").notes).anyMatch(n -> n.contains("committed by this run"));
        assertThat(step(resumed, "smoke-test").status).isEqualTo(StepRecord.Status.PASSED);
        assertEqualToSource(target);
    }

    /** Finding 2: the target stopped during the restore leaves no half database, at any import.jobs, overlapped or not. */
    @ParameterizedTest(name = "import.jobs {0}, import.overlap {1}")
    @CsvSource({"1, true", "1, false", "2, true"})
    void theTargetStoppedMidRestoreLeavesNothingAndResumes(int jobs, boolean overlap) throws Exception {
        String name = "target-stopped-" + jobs + "-" + overlap;
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration(name, target, Map.of("import.jobs", Integer.toString(jobs), "import.overlap", Boolean.toString(overlap)), null);
        Path state = bed.stateDirectory(name);

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> bed.run(file, state, Map.of(), null, null));
        assertThat(await(ProcessHandle.current(), "pg_restore", Duration.ofSeconds(120))).isPresent();
        target.stopServer();
        RunReport failed = run.get();

        assertThat(failed.status()).isEqualTo(RunReport.FAILED);
        String restoring = overlap ? "upload" : "import";
        assertThat(step(failed, restoring).status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(String.valueOf(step(failed, restoring).error)).as("names the restore").contains("pg_restore");
        target.restart();
        assertThat(databases(target)).doesNotContain(MigrationBed.DATABASE);

        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(databases(target)).as("the staging database is gone").containsExactly(MigrationBed.DATABASE);
        assertEqualToSource(target);
    }

    /** The source stopped during the dump: no manifest, nothing half-uploaded left, and resume completes. */
    @Test
    void theSourceStoppedMidDumpLeavesNoArtifactAndResumes() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("source-stopped", target, Map.of(), null);
        Path state = bed.stateDirectory("source-stopped");

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> bed.run(file, state, Map.of(), null, null));
        assertThat(await(ProcessHandle.current(), "pg_dump", Duration.ofSeconds(120))).isPresent();
        bed.source().stopServer();
        RunReport failed;
        try {
            failed = run.get();
        } finally {
            bed.source().restart();
        }

        assertThat(step(failed, "upload").status).isEqualTo(StepRecord.Status.FAILED);
        List<StoredArtifact> artifacts = bed.artifacts().list("crash-source-stopped", MigrationBed.DATABASE);
        assertThat(artifacts).noneMatch(StoredArtifact::complete);
        assertThat(bed.s3Client().listMultipartUploads(r -> r.bucket(MigrationBed.BUCKET).prefix("crash-source-stopped/")).uploads())
                .isEmpty();
        assertThat(databases(target)).as("the restore that ran beside the upload committed nothing and its staging database is gone")
                .isEmpty();

        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertEqualToSource(target);
    }

    /** Finding 7: S3 killed mid-upload and started again: a clean failure, and the resume leaves no unfinished upload. */
    @Test
    void s3KilledMidUploadFailsCleanlyAndTheResumeLeavesNoUnfinishedUpload() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("s3-killed", target, Map.of("upload.partSizeMb", "5"), null);
        Path state = bed.stateDirectory("s3-killed");

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> bed.run(file, state, Map.of(), null, null));
        assertThat(await(ProcessHandle.current(), "pg_dump", Duration.ofSeconds(120))).isPresent();
        bed.s3().kill();
        RunReport failed;
        try {
            failed = run.get();
        } finally {
            bed.s3().restart();
        }

        StepRecord upload = step(failed, "upload");
        assertThat(upload.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(upload.error.code()).isIn("STORAGE", "CONNECTION");
        assertThat(bed.artifacts().list("crash-s3-killed", MigrationBed.DATABASE)).noneMatch(StoredArtifact::complete);
        assertThat(databases(target)).as("the restore that ran beside the upload committed nothing and its staging database is gone")
                .isEmpty();
        // what a kill later in the upload leaves: parts of this run's object that were never completed
        String leftover = "crash-s3-killed/shop/20260101T000000Z-" + failed.runId() + "/database.dump.zst";
        String uploadId = bed.s3Client().createMultipartUpload(r -> r.bucket(MigrationBed.BUCKET).key(leftover)).uploadId();
        bed.s3Client().uploadPart(r -> r.bucket(MigrationBed.BUCKET).key(leftover).uploadId(uploadId).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1024]));

        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(bed.s3Client().listMultipartUploads(r -> r.bucket(MigrationBed.BUCKET).prefix("crash-s3-killed/")).uploads())
                .as("unfinished uploads of the failed attempt").isEmpty();
        assertThat(step(resumed, "upload").notes).anyMatch(n -> n.contains("unfinished multipart upload(s)"));
        assertEqualToSource(target);
    }
}
