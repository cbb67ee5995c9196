package dev.ferry.faults;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A MariaDB import with {@code import.jobs: 2}: the dump's INSERTs go to two client sessions beside
 * the main client, into the staging database. A session's SQL error mid-table, a session's client
 * killed, or Ferry killed mid-load stop every session and leave the target absent; the resume
 * completes. Writes to the source during the dump are not in the copy, and the smoke test passes.
 */
class MariaDbParallelLoadFaultTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(40);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private static Path migration(String name, LocalMariaDb target) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", name);
        parameters.put("import.jobs", "2");
        return bed.migration(name, "mysql-logical", parameters, null);
    }

    private static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    private static Connection connect(LocalMariaDb server) throws java.sql.SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + server.port() + "/", server.superuser(),
                server.password().reveal());
    }

    private static String first(Connection connection, String sql) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /** The connection of a loading session running an INSERT into a staging database, once there is one. */
    private static String awaitInsert(Connection connection, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String id = first(connection, "SELECT id FROM information_schema.processlist WHERE db LIKE 'shop\\_ferry\\_%'"
                    + " AND info LIKE 'INSERT INTO%' LIMIT 1");
            if (id != null) {
                return id;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no INSERT ran within " + timeout);
    }

    private static void assertTargetAbsentAndNothingLeftRunning(LocalMariaDb target) throws Exception {
        assertThat(MariaDbImportCrashFaultTest.databaseExists(target, MigrationBed.DATABASE))
                .as("the target never appeared half-imported").isFalse();
        Instant deadline = Instant.now().plusSeconds(10);
        while (ProcessHandle.current().descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/mariadb"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/mariadb")))
                .as("no client session is left running").isEmpty();
    }

    @Test
    void aSessionsSqlErrorMidTableStopsTheLoadAndTheResumeCompletes() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("parallel-sql-error", target);
        Path state = bed.stateDirectory("parallel-sql-error");
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> bed.run(file, state, Map.of(), null, null));
        try (Connection admin = connect(target); Statement statement = admin.createStatement()) {
            statement.execute("KILL QUERY " + awaitInsert(admin, Duration.ofSeconds(120)));
        }
        RunReport failed = run.get();

        assertThat(failed.status()).isEqualTo(RunReport.FAILED);
        StepRecord upload = step(failed, "upload");
        assertThat(upload.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(upload.error.code()).isEqualTo("IMPORT_FAILED");
        assertThat(upload.error.what()).contains("Loading session").contains("staging database");
        assertThat(upload.error.why()).contains("interrupted");
        assertThat(step(failed, "import").status).isEqualTo(StepRecord.Status.PENDING);
        assertTargetAbsentAndNothingLeftRunning(target);
        assertThat(target.queryValue("information_schema", "SELECT count(*) FROM information_schema.schemata"
                + " WHERE schema_name LIKE 'shop\\_ferry\\_%'")).as("the staging database was dropped").isEqualTo("0");

        RunReport resumed = bed.resume(failed.runId(), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "upload").notes).anyMatch(n -> n.contains("with 2 client sessions beside the main one"));
        assertThat(step(resumed, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
    }

    @Test
    void aSessionsClientKilledMidLoadStopsTheLoad() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("parallel-client-killed", target);
        Path state = bed.stateDirectory("parallel-client-killed");
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> bed.run(file, state, Map.of(), null, null));
        try (Connection admin = connect(target)) {
            awaitInsert(admin, Duration.ofSeconds(120));
        }
        // the main client starts first; the loading sessions after it
        List<ProcessHandle> clients = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/mariadb"))
                .sorted(java.util.Comparator.comparing(p -> p.info().startInstant().orElseThrow())).toList();
        assertThat(clients).hasSize(3);
        clients.get(2).destroyForcibly();
        RunReport failed = run.get();

        assertThat(failed.status()).isEqualTo(RunReport.FAILED);
        StepRecord upload = step(failed, "upload");
        assertThat(upload.error.code()).isEqualTo("IMPORT_FAILED");
        assertThat(upload.error.what()).contains("Loading session");
        assertTargetAbsentAndNothingLeftRunning(target);
    }

    @Test
    void ferryKilledMidLoadTakesEverySessionAlongAndTheResumeCompletes() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Path file = migration("parallel-ferry-killed", target);
        Path state = bed.stateDirectory("parallel-ferry-killed");
        List<ProcessHandle> clients = new java.util.ArrayList<>();

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("parallel-ferry-killed-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    try (Connection admin = connect(target)) {
                        awaitInsert(admin, Duration.ofSeconds(120));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    ferry.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("/mariadb"))
                            .forEach(clients::add);
                    ferry.destroyForcibly();
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(clients).as("the main client and two loading sessions ran").hasSize(3);
        Instant deadline = Instant.now().plusSeconds(10);
        while (clients.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(clients).as("every client died with Ferry").noneMatch(ProcessHandle::isAlive);
        assertThat(MariaDbImportCrashFaultTest.databaseExists(target, MigrationBed.DATABASE)).isFalse();

        RunReport resumed = bed.resume(MariaDbImportCrashFaultTest.runIdIn(state), state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(resumed, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
        for (String sql : List.of("SELECT count(*) FROM order_audit", "SELECT count(*) FROM order_items",
                "SELECT GROUP_CONCAT(trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()")) {
            assertThat(target.queryValue(MigrationBed.DATABASE, sql)).as(sql)
                    .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, sql));
        }
    }

    @Test
    void writesToTheSourceDuringTheDumpAreNotCopiedAndTheSmokeTestPasses() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        LocalMariaDb source = (LocalMariaDb) bed.source();
        source.createDatabase("busy");
        Path file = migrationOf("parallel-busy-source", target);
        Path state = bed.stateDirectory("parallel-busy-source");
        copyShop(source);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + source.port() + "/busy",
                    source.superuser(), source.password().reveal()); Statement statement = connection.createStatement()) {
                while (!stop.get()) {
                    statement.execute("INSERT INTO orders (customer_id, ordered_at, status) VALUES (1, NOW(3), 'new')");
                    written.incrementAndGet();
                }
            } catch (java.sql.SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        RunReport report;
        try {
            report = bed.run(file, state, Map.of(), null, null);
        } finally {
            stop.set(true);
        }
        writer.get();

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(report, "upload").notes).anyMatch(n -> n.contains("with 2 client sessions beside the main one"));
        assertThat(step(report, "smoke-test").notes).anyMatch(n -> n.contains("all equal"));
        assertThat(written.get()).as("the source took writes").isPositive();
        long copied = Long.parseLong(target.queryValue("busy", "SELECT count(*) FROM orders"));
        long now = Long.parseLong(source.queryValue("busy", "SELECT count(*) FROM orders"));
        assertThat(copied).as("the copy holds the snapshot, not the writes after it").isLessThan(now);
        assertThat(target.queryValue("busy", "SELECT count(*) FROM order_audit"))
                .as("the trigger fired for the snapshot's orders only, at the source").isEqualTo(String.valueOf(copied));
    }

    private static Path migrationOf(String name, LocalMariaDb target) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", name);
        parameters.put("import.jobs", "2");
        parameters.put("source.database", "busy");
        parameters.put("target.database", "busy");
        return bed.migration(name, "mysql-logical", parameters, null);
    }

    /** The sample's tables in database busy, rows included (the trigger fires for each order, as in the sample). */
    private static void copyShop(LocalMariaDb source) {
        for (String table : List.of("customers", "products", "orders", "order_items", "tags")) {
            source.execute("busy", "CREATE TABLE " + table + " LIKE shop." + table);
        }
        source.execute("busy", "CREATE TABLE order_audit LIKE shop.order_audit");
        source.execute("busy", "CREATE TRIGGER orders_audit_insert AFTER INSERT ON orders"
                + " FOR EACH ROW INSERT INTO order_audit (order_id, action) VALUES (NEW.id, 'created')");
        for (String table : List.of("customers", "products", "orders", "order_items", "tags")) {
            source.execute("busy", "INSERT INTO " + table + " SELECT * FROM shop." + table);
        }
    }
}
