package dev.ferry.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ReadLease;
import dev.ferry.storage.WriterLease;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL backup example (examples/postgres-scheduled-backup) through the real command line,
 * on real servers: backups kept to backup.keep, listed, restored, pruned around leases, scheduled.
 */
class PostgresBackupsTest {

    static final String EXAMPLE = "postgres-scheduled-backup";
    static final String PASSWORD_VARIABLE = "PGPASSWORD_SHOP";

    static MigrationBed bed;

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

    @Test
    void threeBackupsWithKeepTwoLeaveTwoAndRestoringTheOlderLeavesOutTheRowWrittenBetween() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "keep-two");

        FerryProcess.Result third = backups.threeBackupsKeepingTwoWithARowWrittenBeforeTheThird();

        assertThat(third.stdout()).contains("pipeline postgres-backup", "check", "retention", "PASSED",
                "every size and SHA-256 matches manifest.json");
        List<JsonNode> listed = backups.list();
        assertThat(listed).as("three backups with keep 2 leave exactly 2").hasSize(2)
                .allSatisfy(b -> {
                    assertThat(b.get("state").asText()).isEqualTo("complete");
                    assertThat(b.get("engine").asText()).isEqualTo("postgresql");
                    assertThat(b.get("tool").asText()).isEqualTo("pg_dump");
                    assertThat(b.get("bytes").asLong()).isPositive();
                    assertThat(b.get("serverVersion").asText()).startsWith(String.valueOf(((LocalPostgres) bed.source()).majorVersion()));
                });
        assertThat(listed.get(0).get("time").asText()).as("newest first").isGreaterThanOrEqualTo(listed.get(1).get("time").asText());
        String older = listed.get(1).get("id").asText();

        FerryProcess.Result restored = backups.restoreWithoutTheRowWrittenBetween(older);

        assertThat(restored.stdout()).contains("pipeline postgres-backup-restore", "import", "smoke-test", "PASSED");
        FerryProcess.Result table = backups.ferry(List.of("backups", "list"));
        assertThat(table.exitCode()).as(table.output()).isZero();
        assertThat(table.stdout()).contains(older, "complete", "pg_dump", "2 backup(s)");
        backups.assertNoSecretLeaked(third, restored, table);
    }

    @Test
    void restoringOverANonEmptyTargetNeedsCleanAndAnUnknownIdIsBadInput() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "needs-clean");
        String id = backups.backUpAndRestoreIntoTheEmptyTarget();

        FerryProcess.Result refused = backups.restore(id, "--set", "clean=false");
        FerryProcess.Result unknown = backups.restore("20200101T000000Z-nothing");

        assertThat(refused.exitCode()).as("found by connecting to the target: a failed preflight").isEqualTo(1);
        assertThat(refused.output()).contains("preflight", "is not empty", "set clean: true").doesNotContain("import               ok");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("No backup '20200101T000000Z-nothing'", "ferry backups list");
    }

    @Test
    void aTypoOrANegativeKeepIsBadInputBeforeAnythingConnects() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "typos");

        FerryProcess.Result typo = backups.ferry(List.of("run"), "--set", "backup.kepp=2");
        FerryProcess.Result negative = backups.ferry(List.of("run"), "--set", "backup.keep=-1");
        FerryProcess.Result pruneAll = backups.ferry(List.of("backups", "prune"), "--keep", "0");
        FerryProcess.Result notABackup = FerryProcess.run(bed.folder().resolve("not-a-backup"), java.util.Map.of(),
                List.of("backups", "restore", MigrationBed.HOME.resolve("examples/postgres-to-postgres/migration.camel.yaml").toString(),
                        "20200101T000000Z", "--state-dir", bed.folder().resolve("not-a-backup").toString()));

        assertThat(typo.exitCode()).as(typo.output()).isEqualTo(2);
        assertThat(typo.stderr()).contains("backup.kepp is not a setting Ferry knows", "did you mean backup.keep");
        assertThat(negative.exitCode()).as(negative.output()).isEqualTo(2);
        assertThat(negative.stderr()).contains("backup.keep is '-1', which is not a whole number of 0 or more");
        assertThat(pruneAll.exitCode()).as(pruneAll.output()).isEqualTo(2);
        assertThat(pruneAll.stderr()).contains("--keep 0 would delete every backup");
        assertThat(notABackup.exitCode()).as(notABackup.output()).isEqualTo(2);
        assertThat(notABackup.stderr()).contains("pipeline postgres-logical, which has no restore pipeline postgres-logical-restore");
        assertThat(backups.list()).as("nothing was dumped").isEmpty();
        FerryProcess.Result valid = FerryProcess.run(bed.folder().resolve("validate-backup"), java.util.Map.of(),
                List.of("validate", backups.file().toString()));
        assertThat(valid.exitCode()).as(valid.output()).isZero();
    }

    @Test
    void aRestoreOverDataFirstTakesASafetyBackupThatUndoesIt() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "safety");
        String backup = backups.backUpAndRestoreIntoTheEmptyTarget();
        target.execute(MigrationBed.DATABASE, "INSERT INTO customers (name, email, signed_up_at) VALUES ('only-in-target', NULL, now())");

        FerryProcess.Result overData = backups.restore(backup);

        assertThat(overData.exitCode()).as(overData.output()).isZero();
        assertThat(overData.stdout()).contains("safety-backup", "taken and checked", "to undo this restore: ferry backups restore FILE");
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers WHERE name = 'only-in-target'")).isEqualTo("0");
        List<JsonNode> listed = backups.list();
        assertThat(listed).hasSize(2);
        JsonNode safety = listed.get(0);
        assertThat(safety.get("state").asText()).isEqualTo("complete");
        assertThat(safety.get("note").asText()).isEqualTo("safety backup of " + target.host() + ":" + target.port() + "/"
                + MigrationBed.DATABASE + " taken before restoring " + backup);
        assertThat(overData.stdout()).contains("ferry backups restore FILE " + safety.get("id").asText());

        FerryProcess.Result undone = backups.restore(safety.get("id").asText());

        assertThat(undone.exitCode()).as(undone.output()).isZero();
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers WHERE name = 'only-in-target'"))
                .as("the safety backup brings back what the restore replaced").isEqualTo("1");
        assertThat(backups.list()).as("undoing took a safety backup too").hasSize(3);

        FerryProcess.Result unprotected = backups.restore(backup, "--set", "restore.safetyBackup=false");

        assertThat(unprotected.exitCode()).as(unprotected.output()).isZero();
        assertThat(unprotected.stdout()).contains("no safety backup: restore.safetyBackup is false");
        assertThat(backups.list()).hasSize(3);
    }

    @Test
    void pruningSparesALeasedBackupAndAFolderARunningBackupWrites() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "leases");
        backups.backupNow();
        backups.backupNow();
        backups.backupNow();
        List<String> ids = backups.completeIds();
        String oldest = ids.get(2);
        ArtifactStore store = new ArtifactStore(bed.s3Client(), bed.s3().httpSettings(MigrationBed.BUCKET).withPrefix("leases"));
        ArtifactFolder oldestFolder = ArtifactLayout.parse("leases/" + MigrationBed.DATABASE + "/" + oldest + "/").orElseThrow();
        // a folder a running backup on another machine is writing: its writer lease is live, its manifest not written yet
        ArtifactFolder writing = store.newFolder(MigrationBed.DATABASE, java.time.Instant.now(), "running-elsewhere");
        bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(writing.objectKey("database.dump.zst")),
                RequestBody.fromString("half a dump"));

        FerryProcess.Result pruned;
        try (ReadLease importing = ReadLease.acquire(store, oldestFolder, "import-elsewhere", "import");
             WriterLease backingUp = WriterLease.acquire(bed.s3Client(), store.settings(), MigrationBed.DATABASE, "running-elsewhere",
                     "upload")) {
            pruned = backups.ferry(List.of("backups", "prune"), "--keep", "1");
        }

        assertThat(pruned.exitCode()).as(pruned.output()).isZero();
        assertThat(pruned.stdout()).contains("deleted  " + ids.get(1), "kept     " + oldest + "  (read by run import-elsewhere",
                "kept     " + writing.name() + "  (no manifest yet and run running-elsewhere");
        assertThat(backups.completeIds()).containsExactly(ids.get(0), oldest);

        FerryProcess.Result afterwards = backups.ferry(List.of("backups", "prune"), "--keep", "1");
        assertThat(afterwards.exitCode()).as(afterwards.output()).isZero();
        assertThat(afterwards.stdout()).contains("deleted  " + oldest, "deleted  " + writing.name() + "  (no manifest: left by a run that stopped)");
        assertThat(backups.list()).extracting(b -> b.get("id").asText()).containsExactly(ids.get(0));
    }

    /**
     * A backup killed mid-upload (pg_dump waits on a table a session holds locked, after the roles are
     * stored): its folder is listed as incomplete and written by that run, cannot be restored, and
     * retention leaves it alone while the run's writer lease lives.
     */
    @Test
    void aBackupKilledMidUploadIsListedIncompleteNeitherRestoredNorPruned() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "killed");
        backups.backupNow();
        ArtifactStore store = new ArtifactStore(bed.s3Client(), bed.s3().httpSettings(MigrationBed.BUCKET).withPrefix("killed"));

        FerryProcess.Result killed;
        try (java.sql.Connection locker = java.sql.DriverManager.getConnection("jdbc:postgresql://" + bed.source().host() + ":"
                + bed.source().port() + "/" + MigrationBed.DATABASE, bed.source().superuser(), bed.source().password().reveal())) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
            killed = backups.ferry(List.of("run"), ferry -> {
                java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
                // a whole object of the new backup, not just parts of an upload in progress (which s3proxy lists
                // as objects of their own until the upload is completed or aborted)
                while (!holdsGlobals(store.list(MigrationBed.DATABASE)) && java.time.Instant.now().isBefore(deadline)) {
                    Thread.onSpinWait();
                }
                ferry.destroyForcibly();
            });
            locker.rollback();
        }

        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        List<JsonNode> listed = backups.list();
        assertThat(listed).hasSize(2);
        JsonNode half = listed.get(0);
        assertThat(half.get("state").asText()).isEqualTo("incomplete");
        assertThat(half.get("note").asText()).startsWith("no manifest yet: run ").contains("writes this database's backups");
        FerryProcess.Result restore = backups.restore(half.get("id").asText());
        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(2);
        assertThat(restore.stderr()).contains("cannot be restored", "incomplete");
        FerryProcess.Result pruned = backups.ferry(List.of("backups", "prune"), "--keep", "1");
        assertThat(pruned.exitCode()).as(pruned.output()).isZero();
        assertThat(pruned.stdout()).contains("kept     " + half.get("id").asText() + "  (no manifest yet and run");
        assertThat(backups.list()).hasSize(2);
    }

    /** Whether a second, unfinished backup folder holds its first whole object (the roles, written first). */
    private static boolean holdsGlobals(List<dev.ferry.storage.StoredArtifact> artifacts) {
        return artifacts.size() >= 2 && bed.s3Client().listObjectsV2(request -> request.bucket(MigrationBed.BUCKET)
                        .prefix(artifacts.get(artifacts.size() - 1).folder().path()))
                .contents().stream().anyMatch(object -> object.key().contains("/globals.sql"));
    }

    @Test
    void theScheduleFiresTheExampleAndKeepsItsBackups() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "scheduled");

        FerryProcess.Result result = backups.ferry(List.of("schedule"), "--cron", "0/4 * * * * ?", "--runs", "3",
                "--set", "backup.keep=2");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("schedule: shop-backup at '0/4 * * * * ?' (Europe/Berlin, Quartz)",
                "schedule: shop-backup starts (start 3)");
        assertThat(result.stdout().split("passed \\(exit 0\\)", -1)).as(result.stdout()).hasSize(4);
        assertThat(backups.completeIds()).hasSize(2);
    }

    @Test
    void theAddOnsDumpsAreListedAndRestoredAndADumpCutShortLeavesTheTargetAsItWas() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE,
                target, "addon-pg");
        String serverVersion = bed.source().queryValue(MigrationBed.DATABASE, "SHOW server_version").split(" ")[0];
        AddonDumpScenario.listed(bed, backups, AddonArchives.pgDumpall(bed.source(), bed.folder().resolve("pg.sql.gz")),
                "postgresql", "pg_dump", serverVersion);

        AddonDumpScenario.restoredAndACutShortDumpLeavesTheTarget(bed, backups, target, "customers",
                "INSERT INTO customers (name, email, signed_up_at) VALUES ('only-in-target', NULL, now())");
    }
}
