package dev.ferry.verify;

import dev.ferry.cli.FerryCli;
import dev.ferry.engine.postgres.PostgresConnections;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.RunReport;
import dev.ferry.testing.DamageCheck;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification on real servers: a migration from a source that keeps taking writes passes and the
 * target is exactly the dump's snapshot; every kind of damage done to a migrated target afterwards
 * is named by {@code ferry verify}; a figure changed in the manifest is caught.
 */
class PostgresVerificationTest {

    static MigrationBed bed;
    static LocalPostgres target;
    static Path state;
    static String runId;
    static String artifact;
    static long ticksInTarget;
    static long ticksInSourceAfter;

    @BeforeAll
    static void migrateWhileAWriterWrites() throws Exception {
        bed = MigrationBed.start(PostgresBinaries.system(), 3);
        LocalPostgres source = (LocalPostgres) bed.source();
        source.execute(MigrationBed.DATABASE, """
                CREATE TABLE ticks (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE audit (id serial PRIMARY KEY, note text DEFAULT 'none');
                CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN INSERT INTO audit(note) VALUES ('order ' || NEW.id); RETURN NEW; END $$;
                CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit_order();
                COMMENT ON TABLE orders IS 'customer orders';
                CREATE MATERIALIZED VIEW order_counts AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;
                SELECT lo_from_bytea(0, '\\x00010203040506070809'::bytea);
                """);
        target = bed.newTarget(PostgresBinaries.system());
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        Path file = bed.migration("verified", "postgres-logical", parameters, null);
        state = bed.stateDirectory("verified");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection connection = PostgresConnections.open(source.endpoint(MigrationBed.DATABASE), "writer");
                 Statement statement = connection.createStatement()) {
                while (writing.get()) {
                    statement.execute("INSERT INTO ticks (id) VALUES (" + written.incrementAndGet() + ")");
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer");
        writer.start();
        while (written.get() < 50) {
            Thread.sleep(10);
        }
        RunReport report = bed.run(file, state, Map.of(), null, null);
        writing.set(false);
        writer.join();
        assertThat(report.status()).as(String.valueOf(report.error()) + report.differences()).isEqualTo(RunReport.PASSED);
        runId = report.runId();
        artifact = report.artifact();
        ticksInTarget = Long.parseLong(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM ticks"));
        ticksInSourceAfter = written.get();
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private static RunReport verify() {
        return damages().verify();
    }

    private static DamageCheck damages() {
        return new DamageCheck(bed, target, state, runId);
    }

    @Test
    void theTargetIsTheDumpsSnapshotOfASourceThatKeptWriting() {
        assertThat(ticksInSourceAfter).as("the writer went on after the dump").isGreaterThan(ticksInTarget);
        assertThat(ticksInTarget).isGreaterThanOrEqualTo(50);
        // one writer's rows in one snapshot: exactly the first N, no gaps
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT max(id) FROM ticks")).isEqualTo(String.valueOf(ticksInTarget));
        RunReport again = verify();
        assertThat(again.status()).as(String.valueOf(again.differences())).isEqualTo(RunReport.PASSED);
    }

    @Test
    void everyDamageToTheTargetIsNamed() {
        damages().assertNamed("UPDATE customers SET name = name || 'x' WHERE id = (SELECT min(id) FROM customers)",
                "UPDATE customers SET name = left(name, -1) WHERE id = (SELECT min(id) FROM customers)",
                "table public.customers: same row count");
        damages().assertNamed("SELECT lo_put((SELECT min(oid) FROM pg_largeobject_metadata), 3, '\\xff'::bytea)",
                "SELECT lo_put((SELECT min(oid) FROM pg_largeobject_metadata), 3, '\\x03'::bytea)", "large object");
        damages().assertNamed("DROP TRIGGER orders_audit ON orders",
                "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit_order()",
                "trigger public.orders.orders_audit is missing in the target");
        damages().assertNamed("ALTER TABLE order_items DROP CONSTRAINT order_items_order_id_fkey",
                "ALTER TABLE order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders(id)",
                "constraint public.order_items.order_items_order_id_fkey is missing in the target");
        damages().assertNamed("ALTER TABLE products DROP CONSTRAINT products_sku_key",
                "ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE (sku)",
                "constraint public.products.products_sku_key is missing in the target");
        damages().assertNamed("COMMENT ON TABLE orders IS 'changed'", "COMMENT ON TABLE orders IS 'customer orders'",
                "comment table orders differs");
        damages().assertNamed("REFRESH MATERIALIZED VIEW order_counts WITH NO DATA", "REFRESH MATERIALIZED VIEW order_counts",
                "materialized view public.order_counts differs: 'populated");
        damages().assertNamed("ALTER TABLE audit ALTER COLUMN note TYPE varchar(200)", "ALTER TABLE audit ALTER COLUMN note TYPE text",
                "column public.audit.note differs");
        damages().assertNamed("ALTER TABLE audit ALTER COLUMN note SET DEFAULT 'other'", "ALTER TABLE audit ALTER COLUMN note SET DEFAULT 'none'",
                "column public.audit.note differs");
    }

    @Test
    void theCommandLineExitsOneOnADifferenceAndZeroWhenEqual() {
        assertThat(FerryCli.execute("verify", runId, "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                .isEqualTo(0);
        target.execute(MigrationBed.DATABASE, "UPDATE ticks SET id = -1 WHERE id = 1");
        try {
            assertThat(FerryCli.execute("verify", runId, "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                    .isEqualTo(1);
        } finally {
            target.execute(MigrationBed.DATABASE, "UPDATE ticks SET id = 1 WHERE id = -1");
        }
        assertThat(FerryCli.execute("verify", "no-such-run", "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                .isEqualTo(2);
    }

    @Test
    void aFigureChangedInTheManifestIsCaught() throws Exception {
        String key = artifact.substring(("s3://" + MigrationBed.BUCKET + "/").length()) + "manifest.json";
        byte[] original = bed.s3Client().getObjectAsBytes(r -> r.bucket(MigrationBed.BUCKET).key(key)).asByteArray();
        String json = new String(original, StandardCharsets.UTF_8);
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("(\"public\\.customers\"\\s*:\\s*\\{\\s*\"rows\"\\s*:\\s*)(\\d+)")
                .matcher(json);
        assertThat(rows.find()).as("the manifest records the customers' rows").isTrue();
        long recorded = Long.parseLong(rows.group(2));
        String edited = json.substring(0, rows.start(2)) + (recorded + 1) + json.substring(rows.end(2));
        bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(key), RequestBody.fromString(edited));
        try {
            RunReport report = verify();
            assertThat(report.status()).isEqualTo(RunReport.FAILED);
            assertThat(report.differences()).contains("table public.customers: " + (recorded + 1) + " rows in the snapshot, "
                    + recorded + " in the target");
        } finally {
            bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(key), RequestBody.fromBytes(original));
        }
    }

    @Test
    void resumingTheFinishedRunSaysSoAndChangesNothing() throws Exception {
        Path journal = state.resolve("runs").resolve(runId).resolve("journal.jsonl");
        long lines = java.nio.file.Files.readAllLines(journal).size();
        assertThat(FerryCli.execute("resume", runId, "--state-dir", state.toString(), "--home", MigrationBed.HOME.toString()))
                .isEqualTo(0);
        assertThat(java.nio.file.Files.readAllLines(journal)).hasSize((int) lines);
    }

    @Test
    void aSourceThatIsGoneDoesNotStopAVerificationAgainstTheSnapshot() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String[] gone = {"--state-dir", state.toString(), "--home", MigrationBed.HOME.toString(), "--set", "source.port=" + closedPort};
        assertThat(FerryCli.execute(concat(new String[] {"verify", runId}, gone))).as("against the snapshot").isEqualTo(0);
        assertThat(FerryCli.execute(concat(new String[] {"verify", runId, "--live"}, gone))).as("against the live source").isEqualTo(1);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void theSmokeTestRunsAloneFromAnArtifact() {
        Path file = bed.migration("from-smoke-test", "postgres-logical", new LinkedHashMap<>(bed.settings(target)), null);
        RunReport report = bed.run(file, bed.stateDirectory("from-smoke-test"), Map.of("artifact", artifact), "smoke-test", null);
        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
    }
}
