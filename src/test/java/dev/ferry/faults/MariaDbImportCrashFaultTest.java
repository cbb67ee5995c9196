package dev.ferry.faults;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB imports are staged: the client restores into {@code shop_ferry_<run id>}, which moves into
 * the target at the end (one {@code RENAME TABLE}, then views, triggers, routines and events recreated).
 * Ferry SIGKILLed mid-import takes the client along and leaves the target absent; SIGKILLed inside
 * the move, its resume finishes the move; the target stopped mid-import leaves it absent. Each
 * resume ends with the smoke test passing and the target's views, triggers, routines and events working.
 */
class MariaDbImportCrashFaultTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(10);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    static Optional<ProcessHandle> awaitClient(ProcessHandle parent, Duration timeout) throws InterruptedException {
        return awaitTool(parent, List.of("/mariadb", "/mysql"), timeout);
    }

    static Optional<ProcessHandle> awaitTool(ProcessHandle parent, List<String> endings, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> found = parent.descendants()
                    .filter(p -> p.info().command().map(c -> endings.stream().anyMatch(c::endsWith)).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> !List.of(a).contains("--version")).orElse(false)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    static java.util.Set<Path> optionFiles() throws java.io.IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("ferry-mysql-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    static String runIdIn(Path state) throws java.io.IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            return runs.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
    }

    static String staging(String runId) {
        return MigrationBed.DATABASE + "_ferry_" + runId.replace('-', '_');
    }

    static boolean databaseExists(LocalMariaDb server, String database) {
        return !"0".equals(server.queryValue("information_schema",
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + database + "'"));
    }

    static long count(LocalMariaDb server, String sql) {
        return Long.parseLong(server.queryValue("information_schema", sql));
    }

    static long tablesIn(LocalMariaDb server, String database) {
        return count(server, "SELECT count(*) FROM information_schema.tables WHERE table_type <> 'VIEW'"
                + " AND table_name NOT IN ('ferry_move_plan', 'ferry_run_mark') AND table_schema = '" + database + "'");
    }

    /** The target equals the source, views, triggers, routines and events included, and they work. */
    static void assertCompleteAndWorking(LocalMariaDb target, String runId) {
        for (String table : List.of("customers", "orders", "order_items", "order_audit", "products", "tags")) {
            assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table)).as(table)
                    .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table));
        }
        for (String sql : List.of(
                "SELECT count(*) FROM customer_order_counts",
                "SELECT order_total(7)",
                "SELECT GROUP_CONCAT(trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
                "SELECT GROUP_CONCAT(CONCAT(routine_type, ' ', routine_name) ORDER BY routine_name)"
                        + " FROM information_schema.routines WHERE routine_schema = DATABASE()",
                "SELECT GROUP_CONCAT(CONCAT(event_name, ' ', status)) FROM information_schema.events WHERE event_schema = DATABASE()",
                "SELECT GROUP_CONCAT(definer) FROM information_schema.views WHERE table_schema = DATABASE()")) {
            assertThat(target.queryValue(MigrationBed.DATABASE, sql)).as(sql)
                    .isNotNull().isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, sql));
        }
        // the trigger fires, the procedure runs, both in the target's own tables
        long audited = Long.parseLong(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM order_audit"));
        target.execute(MigrationBed.DATABASE, "INSERT INTO orders (customer_id, ordered_at, status) VALUES (1, NOW(), 'new')");
        assertThat(Long.parseLong(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM order_audit"))).isEqualTo(audited + 1);
        String order = target.queryValue(MigrationBed.DATABASE, "SELECT min(id) FROM orders WHERE status <> 'cancelled'");
        target.execute(MigrationBed.DATABASE, "CALL cancel_order(" + order + ")");
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT status FROM orders WHERE id = " + order)).isEqualTo("cancelled");
        assertThat(databaseExists(target, staging(runId))).as("the staging database is gone").isFalse();
        String tables = "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM information_schema.tables"
                + " WHERE table_schema = DATABASE()";
        assertThat(target.queryValue(MigrationBed.DATABASE, tables)).as("the target holds the source's tables, no table of Ferry's")
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, tables)).doesNotContain("ferry_");
    }

    static void assertNoOptionFileLeft(java.util.Set<Path> before, String secret) throws java.io.IOException {
        for (Path leftover : optionFiles()) {
            if (before.contains(leftover)) {
                continue;
            }
            try (Stream<Path> inside = Files.walk(leftover)) {
                for (Path file : inside.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file)).as(file + " left behind").doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void ferryKilledMidImportLeavesTheTargetAbsentAndTheResumeStartsAgain() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "mariadb-crash");
        parameters.put("import.verifyFirstMb", "0");
        Path file = bed.migration("mariadb-killed", "mysql-logical", parameters, null);
        Path state = bed.stateDirectory("mariadb-killed");
        ProcessHandle[] client = new ProcessHandle[1];
        long[] ferryPid = new long[1];
        java.util.Set<Path> optionFilesBefore = optionFiles();

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("mariadb-killed-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    ferryPid[0] = ferry.pid();
                    try {
                        client[0] = awaitClient(ferry.toHandle(), Duration.ofSeconds(120)).orElseThrow();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    ferry.destroyForcibly();
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        Instant deadline = Instant.now().plusSeconds(10);
        while (client[0].isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(client[0].isAlive()).as("the restore client died with Ferry").isFalse();
        assertNoOptionFileLeft(optionFilesBefore, target.password().reveal());
        assertNoOptionFileLeft(optionFilesBefore, ((LocalMariaDb) bed.source()).password().reveal());
        String runId = runIdIn(state);
        assertThat(databaseExists(target, MigrationBed.DATABASE)).as("the target never appeared half-imported").isFalse();
        assertThat(databaseExists(target, staging(runId))).isTrue();
        assertThat(target.queryValue(staging(runId), "SELECT mark FROM ferry_run_mark")).as("the dead process is named")
                .isEqualTo("ferry run " + runId + " importing (pid " + ferryPid[0] + " on "
                        + java.net.InetAddress.getLocalHost().getHostName() + ")");

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        StepRecord importStep = resumed.steps().stream().filter(s -> s.id.equals("import")).findFirst().orElseThrow();
        StepRecord uploadStep = resumed.steps().stream().filter(s -> s.id.equals("upload")).findFirst().orElseThrow();
        assertThat(uploadStep.notes).as("the kill came while the upload restored: it runs again, staging afresh")
                .anyMatch(n -> n.contains("dropped the staging database " + staging(runId) + " an earlier attempt of this run left"));
        assertThat(importStep.notes).anyMatch(n -> n.contains("staging database " + staging(runId)) && n.contains("promoted"));
        assertCompleteAndWorking(target, runId);
    }

    @Test
    void ferryKilledMidDumpLeavesNoOptionFileWithTheSourcePassword() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "mariadb-dump-killed");
        Path file = bed.migration("mariadb-dump-killed", "mysql-logical", parameters, null);
        Path state = bed.stateDirectory("mariadb-dump-killed");
        ProcessHandle[] dump = new ProcessHandle[1];
        java.util.Set<Path> optionFilesBefore = optionFiles();

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("mariadb-dump-killed-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    try {
                        dump[0] = awaitTool(ferry.toHandle(), List.of("/mariadb-dump", "/mysqldump"), Duration.ofSeconds(120))
                                .orElseThrow();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    ferry.destroyForcibly();
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        Instant deadline = Instant.now().plusSeconds(10);
        while (dump[0].isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(dump[0].isAlive()).as("the dump tool died with Ferry").isFalse();
        assertNoOptionFileLeft(optionFilesBefore, ((LocalMariaDb) bed.source()).password().reveal());
        assertThat(databaseExists(target, MigrationBed.DATABASE)).isFalse();
    }

    @Test
    void ferryKilledDuringTheMoveResumesAndFinishesIt() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "mariadb-move-crash");
        Path file = bed.migration("mariadb-move-killed", "mysql-logical", parameters, null);
        Path state = bed.stateDirectory("mariadb-move-killed");
        String[] stagingName = new String[1];

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("mariadb-move-killed-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    // tags is the last table the dump loads: a read lock on it once loaded holds the
                    // move's RENAME TABLE (and nothing before it), so Ferry dies right inside the move
                    try (Connection lock = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + target.port() + "/",
                            target.superuser(), target.password().reveal())) {
                        Instant deadline = Instant.now().plusSeconds(120);
                        while (stagingName[0] == null || !loaded(lock, stagingName[0])) {
                            assertThat(Instant.now()).as("the import began").isBefore(deadline);
                            stagingName[0] = first(lock, "SELECT schema_name FROM information_schema.schemata"
                                    + " WHERE schema_name LIKE 'shop\\_ferry\\_%'");
                            Thread.sleep(5);
                        }
                        try (Statement statement = lock.createStatement()) {
                            statement.execute("LOCK TABLES `" + stagingName[0] + "`.tags READ");
                        }
                        while (first(lock, "SELECT id FROM information_schema.processlist WHERE info LIKE 'RENAME TABLE%'") == null) {
                            assertThat(Instant.now()).as("the move began").isBefore(deadline);
                            Thread.sleep(5);
                        }
                        ferry.destroyForcibly();
                        ferry.waitFor();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        String runId = runIdIn(state);
        assertThat(stagingName[0]).isEqualTo(staging(runId));
        Instant settled = Instant.now().plusSeconds(30);
        while (count(target, "SELECT count(*) FROM information_schema.processlist WHERE info LIKE 'RENAME TABLE%'") > 0) {
            assertThat(Instant.now()).as("the dead run's RENAME TABLE ended").isBefore(settled);
            Thread.sleep(10);
        }
        // the RENAME TABLE either ran once the lock went or not at all: the tables are all in one place
        long moved = tablesIn(target, MigrationBed.DATABASE);
        long left = tablesIn(target, staging(runId));
        long all = tablesIn((LocalMariaDb) bed.source(), MigrationBed.DATABASE);
        assertThat(List.of(moved, left)).containsExactlyInAnyOrder(0L, all);
        assertThat(count(target, "SELECT count(*) FROM information_schema.views WHERE table_schema = 'shop'"))
                .as("views come after the tables").isZero();

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        StepRecord importStep = resumed.steps().stream().filter(s -> s.id.equals("import")).findFirst().orElseThrow();
        assertThat(importStep.notes).anyMatch(n -> n.contains("already held this run's complete, verified import"));
        assertCompleteAndWorking(target, runId);
    }

    @Test
    void targetStoppedMidImportLeavesItAbsentAndTheResumeCompletes() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "mariadb-target-stopped");
        parameters.put("import.verifyFirstMb", "0");
        Path file = bed.migration("mariadb-target-stopped", "mysql-logical", parameters, null);
        Path state = bed.stateDirectory("mariadb-target-stopped");

        FerryProcess.Result failed = FerryProcess.run(bed.folder().resolve("mariadb-target-stopped-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    try {
                        awaitClient(ferry.toHandle(), Duration.ofSeconds(120)).orElseThrow();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    target.stopServer();
                });

        assertThat(failed.exitCode()).as(failed.output()).isNotZero().isNotEqualTo(137);
        target.restart();
        String runId = runIdIn(state);
        assertThat(databaseExists(target, MigrationBed.DATABASE)).as("the target never appeared half-imported").isFalse();

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertCompleteAndWorking(target, runId);
    }

    private static boolean loaded(Connection connection, String staging) throws java.sql.SQLException {
        if (first(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + staging
                + "' AND table_name = 'tags'") == null) {
            return false;
        }
        // waits for the dump's LOCK TABLES ... WRITE on it to end
        return "4".equals(first(connection, "SELECT count(*) FROM `" + staging + "`.tags"));
    }

    private static String first(Connection connection, String sql) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement(); java.sql.ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }
}
