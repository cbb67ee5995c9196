package dev.ferry.engine.mysql;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.restore.ArtifactRestore;
import dev.ferry.restore.ImportMark;
import dev.ferry.restore.RestoreContext;
import dev.ferry.runtime.ProgressHandle;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.Manifest;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Halt;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Staged imports into MariaDB (the code MySQL targets run too): the run mark lives in the staging
 * database's table {@code ferry_run_mark}, never in the target. The import's parts run through
 * {@link ArtifactRestore} with a context that stops the run at a chosen point, as a crash would,
 * followed by the run's resume (the same restore, same run id).
 */
class MySqlStagedImportTest {

    private static final String MARK_TABLE = "ferry_run_mark";
    private static final List<String> OBJECT_QUERIES = List.of(
            "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM information_schema.tables WHERE table_schema = DATABASE()",
            "SELECT GROUP_CONCAT(trigger_name ORDER BY trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
            "SELECT GROUP_CONCAT(CONCAT(routine_type, ' ', routine_name) ORDER BY routine_name)"
                    + " FROM information_schema.routines WHERE routine_schema = DATABASE()",
            "SELECT GROUP_CONCAT(CONCAT(event_name, ' ', status) ORDER BY event_name)"
                    + " FROM information_schema.events WHERE event_schema = DATABASE()",
            "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM information_schema.views WHERE table_schema = DATABASE()");

    static MigrationBed bed;
    static Manifest manifest;

    @BeforeAll
    static void startServersAndDump() {
        bed = MigrationBed.startMariaDb(2);
        LocalMariaDb scratch = bed.newMariaDbTarget();
        RunReport dumped = bed.run(bed.migration("staged-dump", "mysql-logical", bed.settings(scratch), null),
                bed.stateDirectory("staged-dump"), Map.of(), null, "upload");
        assertThat(dumped.status()).as(String.valueOf(dumped.error())).isEqualTo(RunReport.PARTIAL);
        manifest = bed.artifacts().readManifest(ArtifactLayout.parse(
                dumped.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "")).orElseThrow(), "test");
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void theStagedImportCommitsAndNoTableOfFerrysReachesTheTarget() {
        LocalMariaDb target = bed.newMariaDbTarget();
        RunReport report = bed.run(bed.migration("staged-commit", "mysql-logical", bed.settings(target), null),
                bed.stateDirectory("staged-commit"), Map.of(), null, null);

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        StepRecord importStep = step(report, "import");
        assertThat(step(report, "upload").notes).anyMatch(n -> n.contains("while the upload streamed"));
        assertThat(importStep.notes).anyMatch(n -> n.contains("staging database shop_ferry_") && n.contains("promoted to shop"));
        assertThat(step(report, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
        assertEqualToSource(target);
        assertThat(stagingDatabases(target)).as("what the move left of the staging database is dropped at the run's end").isZero();
    }

    @Test
    void aRunKilledAfterItsImportWasRecordedLeavesOnlyTheRemnantWhichItsResumeDrops() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new java.util.LinkedHashMap<>(bed.settings(target));
        parameters.put("step.smoke-test", "direct:halt-then-smoke-test");
        parameters.put("storage.prefix", "staged-halted");
        Path file = bed.migration("staged-halted", "mysql-logical", parameters, """
                - route:
                    id: halt-then-smoke-test
                    from:
                      uri: "direct:halt-then-smoke-test"
                      steps:
                        - to: "class:dev.ferry.testing.Halt?method=onceIfArmed"
                        - to: "ferry:smoke-test"
                """);
        Path state = bed.stateDirectory("staged-halted");
        Path arming = Files.writeString(bed.folder().resolve("halt-armed"), "halt");

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("staged-halted-out"),
                Map.of(Halt.ARMING_FILE, arming.toString()), List.of("run", file.toString(), "--state-dir", state.toString()));

        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        String runId;
        try (java.util.stream.Stream<Path> runs = Files.list(state.resolve("runs"))) {
            runId = runs.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
        String staging = "shop_ferry_" + runId.replace('-', '_');
        assertEqualToSource(target);
        assertThat(target.queryValue(staging, "SELECT mark FROM " + MARK_TABLE)).isEqualTo("ferry run " + runId + " moved");

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "import").status).isEqualTo(StepRecord.Status.RESTORED);
        assertThat(step(resumed, "preflight").notes).contains("dropped what the finished move left of this run's staging database "
                + staging + " (its run mark and move plan)");
        assertThat(databaseExists(target, staging)).isFalse();
        assertEqualToSource(target);
    }

    @Test
    void aCrashBetweenRestoreAndMoveIsFinishedByTheResume() throws IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        String runId = "20261203T180000Z-aa11";
        String staging = "shop_ferry_" + runId.replace('-', '_');

        Context crashed = new Context(runId, "promote the staging database");
        assertThatThrownBy(() -> restore(crashed, target)).hasMessageContaining("simulated crash");

        assertThat(databaseExists(target, MigrationBed.DATABASE)).as("nothing in the target before the move").isFalse();
        assertThat(target.queryValue(staging, "SELECT mark FROM " + MARK_TABLE)).isEqualTo("ferry run " + runId);
        assertThat(target.queryValue(staging, "SELECT count(*) FROM " + MARK_TABLE)).isEqualTo("1");
        assertThat(ImportMark.stagedComplete(new MySqlEngine(), endpoint(target), runId, "test")).isTrue();

        Context resumed = new Context(runId, null);
        restore(resumed, target);

        assertThat(resumed.intents).anyMatch(i -> i.startsWith("finish promoting the complete staging database " + staging));
        assertThat(resumed.notes).anyMatch(n -> n.contains("already held this run's complete, verified import"));
        assertEqualToSource(target);
        assertThat(target.queryValue(staging, "SELECT mark FROM " + MARK_TABLE)).as("until the journal records the import")
                .isEqualTo("ferry run " + runId + " moved");
        resumed.recorded();
        assertThat(databaseExists(target, staging)).isFalse();
    }

    @Test
    void aTargetItsRunMovedIsRecognisedByRunIdAfterACrashBeforeTheJournalRecordedIt() throws IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        String runId = "20261203T180000Z-bb22";
        String staging = "shop_ferry_" + runId.replace('-', '_');
        MySqlEngine engine = new MySqlEngine();

        Context crashed = new Context(runId, "promoted the complete staging database");
        assertThatThrownBy(() -> restore(crashed, target)).hasMessageContaining("simulated crash");

        assertEqualToSource(target);
        assertThat(ImportMark.of(engine, endpoint(target), runId, "test")).isEqualTo(ImportMark.State.COMMITTED);
        assertThat(ImportMark.of(engine, endpoint(target), "20261203T180000Z-cc33", "test")).as("another run's")
                .isEqualTo(ImportMark.State.NONE);
        assertThat(engine.isEmpty(endpoint(target), "test")).isFalse();

        Context resumed = new Context(runId, null);
        ArtifactRestore.Restored restored = restore(resumed, target);

        assertThat(restored.objects()).containsExactly("database.sql");
        assertThat(resumed.notes).anyMatch(n -> n.contains("was committed by this run before it stopped"));
        assertThat(databaseExists(target, staging)).as("dropped by the resume").isFalse();
        assertEqualToSource(target);
    }

    @Test
    void theStagingDatabaseADeadAttemptLeftIsDroppedAndTheResumeImportsAgain() throws IOException {
        LocalMariaDb target = bed.newMariaDbTarget();
        String runId = "20261203T180000Z-dd44";
        String staging = "shop_ferry_" + runId.replace('-', '_');
        // what a client killed mid-restore leaves: some tables, part of their rows, no mark
        target.createDatabase(staging);
        target.execute(staging, "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'half')");

        Context resumed = new Context(runId, null);
        restore(resumed, target);

        assertThat(resumed.notes).anyMatch(n -> n.contains("dropped the staging database " + staging
                + " an earlier attempt of this run left"));
        assertEqualToSource(target);
        resumed.recorded();
        assertThat(databaseExists(target, staging)).isFalse();
    }

    @Test
    void stagingDatabasesOtherRunsLeftAreDroppedOnlyWhenTheirProcessIsGone() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        long dead = deadPid();
        String deadHere = staged(target, "20261203T170000Z-ee55", "pid " + dead + " on " + host);
        String liveHere = staged(target, "20261203T170000Z-ff66", "pid " + ProcessHandle.current().pid() + " on " + host);
        String elsewhere = staged(target, "20261203T170000Z-aa77", "pid " + dead + " on another-host.example");
        String unmarked = "shop_ferry_20261203T170000Z_bb88";
        target.createDatabase(unmarked);

        Context run = new Context("20261203T180000Z-ee99", null);
        restore(run, target);

        assertThat(run.notes).anyMatch(n -> n.equals("dropped the staging database " + deadHere
                + " that another run, whose process is gone, left half-restored"));
        assertThat(databaseExists(target, deadHere)).isFalse();
        assertThat(List.of(liveHere, elsewhere, unmarked)).allMatch(name -> databaseExists(target, name));
        assertEqualToSource(target);
    }

    /** A staging database another run left half-restored, marked as runs mark them while they restore. */
    private static String staged(LocalMariaDb target, String runId, String process) throws java.sql.SQLException {
        String name = "shop_ferry_" + runId.replace('-', '_');
        target.createDatabase(name);
        target.execute(name, "CREATE TABLE customers (id INT PRIMARY KEY); INSERT INTO customers VALUES (1)");
        try (java.sql.Connection connection = MySqlConnections.openServer(target.endpoint(name), "test")) {
            MySqlRunMark.write(connection, name, "ferry run " + runId + " importing (" + process + ")");
        }
        return name;
    }

    /** A pid no process has any more: that of a child that ended. */
    private static long deadPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(ended.pid())).isEmpty();
        return ended.pid();
    }

    private static ArtifactRestore.Restored restore(Context context, LocalMariaDb target) throws IOException {
        return ArtifactRestore.run(context, bed.artifacts(), manifest, new MySqlEngine(), endpoint(target),
                new ArtifactRestore.Options(false, 1, Duration.ofMinutes(10), 8L << 20));
    }

    private static DatabaseEndpoint endpoint(LocalMariaDb target) {
        return target.endpoint(MigrationBed.DATABASE);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    /** Same objects, same rows in every table (count and a hash of every row), and no table of Ferry's. */
    static void assertEqualToSource(LocalMariaDb target) {
        LocalMariaDb source = (LocalMariaDb) bed.source();
        for (String sql : OBJECT_QUERIES) {
            assertThat(target.queryValue(MigrationBed.DATABASE, sql)).as(sql)
                    .isEqualTo(source.queryValue(MigrationBed.DATABASE, sql));
        }
        String tables = target.queryValue(MigrationBed.DATABASE, OBJECT_QUERIES.get(0));
        assertThat(tables).doesNotContain(MARK_TABLE).doesNotContain("ferry_move_plan");
        String baseTables = source.queryValue(MigrationBed.DATABASE, "SELECT GROUP_CONCAT(table_name ORDER BY table_name)"
                + " FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'");
        for (String table : baseTables.split(",")) {
            String columns = source.queryValue(MigrationBed.DATABASE, "SELECT GROUP_CONCAT(CONCAT('`', column_name, '`')"
                    + " ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = DATABASE()"
                    + " AND table_name = '" + table + "'");
            String rows = "SELECT CONCAT(COUNT(*), ':', COALESCE(BIT_XOR(CRC32(CONCAT_WS(0x1f, " + columns + "))), 0)) FROM `"
                    + table + "`";
            String expected = source.queryValue(MigrationBed.DATABASE, rows);
            assertThat(expected).as(table).doesNotStartWith("0:");
            assertThat(target.queryValue(MigrationBed.DATABASE, rows)).as(table).isEqualTo(expected);
        }
    }

    private static boolean databaseExists(LocalMariaDb server, String database) {
        return !"0".equals(server.queryValue("information_schema",
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + database + "'"));
    }

    private static long stagingDatabases(LocalMariaDb server) {
        return Long.parseLong(server.queryValue("information_schema",
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'shop\\_ferry\\_%'"));
    }

    /** A run's import as the restore sees it; {@code crashAt}: an intent or note that stops it there, as a kill would. */
    private static final class Context implements RestoreContext {

        private final String runId;
        private final String crashAt;
        private final Path workDirectory;
        final List<String> notes = new ArrayList<>();
        private final List<AutoCloseable> onceRecorded = new ArrayList<>();
        final List<String> intents = new ArrayList<>();

        Context(String runId, String crashAt) throws IOException {
            this.runId = runId;
            this.crashAt = crashAt;
            this.workDirectory = Files.createTempDirectory(bed.folder(), "work-");
        }

        @Override
        public String stepId() {
            return "import";
        }

        @Override
        public void note(String note) {
            stopIfAt(note);
            notes.add(note);
        }

        @Override
        public void bytes(long bytes) {
        }

        @Override
        public ProgressHandle progress(String label, long totalBytes) {
            return ProgressHandle.NONE;
        }

        @Override
        public void onEnd(AutoCloseable cleanup) {
            onceRecorded.add(cleanup);
        }

        @Override
        public void onEndOnceRecorded(AutoCloseable cleanup) {
            onceRecorded.add(cleanup);
        }

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public void intent(String what) {
            stopIfAt(what);
            intents.add(what);
        }

        @Override
        public Path workDirectory() {
            return workDirectory;
        }

        /** The journal recorded the import's end, and the run ended (the clean-ups a kill would skip). */
        void recorded() {
            for (AutoCloseable cleanup : onceRecorded) {
                try {
                    cleanup.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }

        private void stopIfAt(String what) {
            if (crashAt != null && what.startsWith(crashAt)) {
                throw new IllegalStateException("simulated crash at: " + what);
            }
        }
    }
}
