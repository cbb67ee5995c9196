package dev.ferry.verify;

import dev.ferry.engine.mysql.MySqlConnections;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.DamageCheck;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification on real MariaDB servers: a migration while a writer inserts passes and holds
 * exactly the dump's snapshot; a changed column type, a dropped foreign key and a dropped index
 * done to the target afterwards are each named by {@code ferry verify}.
 */
class MySqlVerificationTest {

    static MigrationBed bed;
    static LocalMariaDb target;
    static Path state;
    static RunReport migrated;
    static long ticksInTarget;
    static long ticksWritten;

    @BeforeAll
    static void migrateWhileAWriterWrites() throws Exception {
        bed = MigrationBed.startMariaDb(2);
        LocalMariaDb source = (LocalMariaDb) bed.source();
        source.execute(MigrationBed.DATABASE, "CREATE TABLE ticks (id BIGINT PRIMARY KEY, at DATETIME(6) NOT NULL) ENGINE = InnoDB");
        target = bed.newMariaDbTarget();
        Path file = bed.migration("verified", "mysql-logical", new LinkedHashMap<>(bed.settings(target)), null);
        state = bed.stateDirectory("verified");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection connection = MySqlConnections.open(source.endpoint(MigrationBed.DATABASE), "writer");
                 Statement statement = connection.createStatement()) {
                while (writing.get()) {
                    long id = written.incrementAndGet();
                    statement.execute("INSERT INTO ticks VALUES (" + id + ", NOW(6))");
                    if (id % 10 == 0) {
                        statement.execute("INSERT INTO orders (customer_id, ordered_at, status) VALUES (1, NOW(3), 'new')");
                    }
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
        migrated = bed.run(file, state, Map.of(), null, null);
        writing.set(false);
        writer.join();
        ticksWritten = written.get();
        assertThat(migrated.status()).as(String.valueOf(migrated.error()) + migrated.differences()).isEqualTo(RunReport.PASSED);
        ticksInTarget = Long.parseLong(target.queryValue(MigrationBed.DATABASE, "SELECT COUNT(*) FROM ticks"));
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
        return new DamageCheck(bed, target, state, migrated.runId());
    }

    @Test
    void theTargetIsTheDumpsSnapshotOfASourceThatKeptWriting() {
        assertThat(ticksWritten).as("the writer went on after the dump").isGreaterThan(ticksInTarget);
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT MAX(id) FROM ticks")).isEqualTo(String.valueOf(ticksInTarget));
        StepRecord upload = migrated.steps().stream().filter(s -> s.id.equals("upload")).findFirst().orElseThrow();
        assertThat(upload.figures).as("how long writes waited for the snapshot is told").containsKey("lockHeldMillis");
        assertThat(verify().status()).isEqualTo(RunReport.PASSED);
    }

    @Test
    void everyDamageToTheTargetIsNamed() {
        damages().assertNamed("ALTER TABLE tags MODIFY label VARCHAR(150) NOT NULL", "ALTER TABLE tags MODIFY label VARCHAR(100) NOT NULL",
                "column tags.label differs");
        damages().assertNamed("ALTER TABLE orders DROP FOREIGN KEY orders_customer_fk",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)",
                "foreign key orders.orders_customer_fk is missing in the target");
        damages().assertNamed("ALTER TABLE orders DROP INDEX orders_ordered_at_idx", "ALTER TABLE orders ADD INDEX orders_ordered_at_idx (ordered_at)",
                "index orders.orders_ordered_at_idx is missing in the target");
        damages().assertNamed("UPDATE tags SET label = CONCAT(label, '!') WHERE code = (SELECT MIN(code) FROM (SELECT code FROM tags) t)",
                "UPDATE tags SET label = LEFT(label, CHAR_LENGTH(label) - 1) WHERE code = (SELECT MIN(code) FROM (SELECT code FROM tags) t)",
                "table tags: same row count");
    }

}
