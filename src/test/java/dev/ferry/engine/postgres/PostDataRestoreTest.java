package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.RestoreCompanion;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.process.ChildProcess;
import dev.ferry.testing.ChildRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The staged PostgreSQL restore on a real server: the archive's table of contents read from the
 * head of a real pg_dump stream, the plan of which post-data entries may be built while other tables
 * still load, and the restore itself, which must leave exactly what a serial pg_restore leaves, on a
 * schema with every kind of post-data entry (partitions, exclusion and deferrable constraints, a
 * foreign key cycle, an index on a materialized view, triggers, rules, policies).
 */
class PostDataRestoreTest {

    private static final String SOURCE = "awkward";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static LocalPostgres pg;
    private static byte[] archive;
    @TempDir
    static Path dumps;

    @BeforeAll
    static void dumpAnAwkwardSchema() throws IOException {
        pg = LocalPostgres.start(PostgresBinaries.system());
        pg.createDatabase(SOURCE);
        pg.execute(SOURCE, """
                CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, best_friend int);
                CREATE UNIQUE INDEX customers_email ON customers (lower(email));
                COMMENT ON INDEX customers_email IS 'one account per address';
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,
                    parent bigint REFERENCES orders DEFERRABLE INITIALLY DEFERRED, during tstzrange,
                    note text, CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&));
                CREATE INDEX orders_customer ON orders (customer_id) INCLUDE (note);
                ALTER TABLE customers ADD CONSTRAINT customers_friend FOREIGN KEY (best_friend) REFERENCES customers (id);
                CREATE TABLE shipments (order_id bigint PRIMARY KEY REFERENCES orders, customer_id int);
                ALTER TABLE customers ADD COLUMN last_order bigint;
                ALTER TABLE customers ADD CONSTRAINT customers_last_order FOREIGN KEY (last_order) REFERENCES orders (id);
                CREATE TABLE events (id int NOT NULL, at date NOT NULL, what text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
                CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE INDEX events_what ON events (what);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := coalesce(NEW.note, 'x'); RETURN NEW; END $$;
                CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE RULE shipments_no_delete AS ON DELETE TO shipments DO INSTEAD NOTHING;
                ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
                CREATE POLICY orders_own ON orders USING (customer_id > 0);
                CREATE MATERIALIZED VIEW order_counts AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id;
                CREATE UNIQUE INDEX order_counts_customer ON order_counts (customer_id);
                INSERT INTO customers (id, email) SELECT i, 'c' || i || '@shop.test' FROM generate_series(1, 2000) i;
                UPDATE customers SET best_friend = 1 + id % 2000;
                INSERT INTO orders (id, customer_id, during)
                    SELECT i, 1 + i % 2000, tstzrange('2024-01-01'::timestamptz + i * interval '1 minute',
                                                       '2024-01-01'::timestamptz + (i + 1) * interval '1 minute')
                    FROM generate_series(1, 60000) i;
                UPDATE orders SET parent = id - 1 WHERE id > 1 AND id % 7 = 0;
                UPDATE customers SET last_order = id;
                INSERT INTO shipments SELECT id, customer_id FROM orders WHERE id % 3 = 0;
                INSERT INTO events SELECT i, DATE '2024-01-01' + (i % 700), 'e' || i FROM generate_series(1, 5000) i;
                REFRESH MATERIALIZED VIEW order_counts;
                """);
        List<DumpPart> parts = new PostgresEngine().dumpParts(pg.endpoint(SOURCE), new DumpOptions(false));
        DumpPart database = parts.stream().filter(p -> PostgresDumpCommands.CUSTOM_FORMAT.equals(p.format())).findFirst().orElseThrow();
        archive = Files.readAllBytes(ChildRuns.dump(new PostgresEngine(), database, dumps));
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    @Test
    void theTableOfContentsIsReadFromTheHeadOfTheStreamAlone() throws Exception {
        ArchiveToc toc = ArchiveToc.read(archive, archive.length);

        assertThat(toc).isNotNull();
        assertThat(toc.headLength()).isLessThan(archive.length);
        assertThat(ArchiveToc.read(archive, toc.headLength() - 1)).as("one byte short of the head").isNull();
        assertThat(ArchiveToc.read(archive, toc.headLength()).entries()).isEqualTo(toc.entries());
        Map<String, ArchiveToc.Entry> byTag = toc.entries().stream()
                .filter(e -> !"COMMENT".equals(e.desc()) && !"ACL".equals(e.desc()))
                .collect(Collectors.toMap(e -> e.desc() + " " + e.tag(), Function.identity(), (a, b) -> a));
        assertThat(byTag).containsKeys("TABLE DATA orders", "INDEX customers_email", "CONSTRAINT orders orders_no_overlap",
                "FK CONSTRAINT customers customers_last_order", "TRIGGER orders orders_touch", "POLICY orders orders_own",
                "RULE shipments shipments_no_delete", "MATERIALIZED VIEW DATA order_counts", "INDEX ATTACH events_2024_what_idx");
        assertThat(byTag.get("TABLE DATA orders").section()).isEqualTo(ArchiveToc.SECTION_DATA);
        assertThat(byTag.get("INDEX customers_email").section()).isEqualTo(ArchiveToc.SECTION_POST_DATA);
        assertThat(byTag.get("TABLE DATA orders").namespace()).isEqualTo("public");
    }

    @Test
    void bytesThatAreNoArchiveOfAKnownVersionAreRefused() {
        byte[] text = "-- PostgreSQL database dump\n".getBytes();
        assertThatThrownBy(() -> ArchiveToc.read(text, text.length)).isInstanceOf(ArchiveToc.UnreadableToc.class)
                .hasMessageContaining("PGDMP");
        byte[] older = Arrays.copyOf(archive, 64);
        older[6] = 12;
        assertThatThrownBy(() -> ArchiveToc.read(older, older.length)).isInstanceOf(ArchiveToc.UnreadableToc.class)
                .hasMessageContaining("1.12");
    }

    @Test
    void eachIndexAndConstraintWaitsForItsTablesAndWhatItReferences() throws Exception {
        ArchiveToc toc = ArchiveToc.read(archive, archive.length);
        PostDataPlan plan = PostDataPlan.of(toc);
        Map<String, PostDataPlan.Item> early = plan.early().stream()
                .collect(Collectors.toMap(i -> i.entry().desc() + " " + i.entry().tag(), Function.identity(), (a, b) -> a));
        List<String> late = plan.late().stream().map(e -> e.desc() + " " + e.tag()).toList();
        Integer orders = plan.tableData("public.orders");
        Integer customers = plan.tableData("public.customers");

        assertThat(early.get("INDEX orders_customer").tableData()).containsExactly(orders);
        assertThat(early.get("CONSTRAINT orders orders_no_overlap").tableData()).containsExactly(orders);
        PostDataPlan.Item lastOrder = early.get("FK CONSTRAINT customers customers_last_order");
        assertThat(lastOrder.tableData()).containsExactlyInAnyOrder(customers, orders);
        assertThat(lastOrder.after()).as("the key it references is built first")
                .containsExactly(early.get("CONSTRAINT orders orders_pkey").entry().dumpId());
        assertThat(lastOrder.lockedTables()).hasSize(2);
        int emailIndex = early.get("INDEX customers_email").entry().dumpId();
        assertThat(plan.early()).as("the comment on an index follows the index")
                .anyMatch(item -> "COMMENT".equals(item.entry().desc()) && item.after().contains(emailIndex));
        assertPartitioned(early, plan);
        assertThat(late).as("what is not an index or a constraint on tables waits for all data")
                .contains("TRIGGER orders orders_touch", "POLICY orders orders_own", "ROW SECURITY orders",
                        "RULE shipments shipments_no_delete", "MATERIALIZED VIEW DATA order_counts", "INDEX order_counts_customer",
                        "INDEX ATTACH events_2024_what_idx", "INDEX ATTACH events_2024_pkey");
        assertThat(early.keySet()).as("every entry is early or late, never both").doesNotContainAnyElementsOf(late);
    }

    /** A partitioned table's own index needs only the table; each partition's index, its partition's data and that index. */
    private static void assertPartitioned(Map<String, PostDataPlan.Item> early, PostDataPlan plan) {
        PostDataPlan.Item parentIndex = early.get("INDEX events_what");
        assertThat(parentIndex.tableData()).isEmpty();
        assertThat(parentIndex.afterPreData()).isTrue();
        assertThat(early.get("CONSTRAINT events events_pkey").afterPreData()).isTrue();
        PostDataPlan.Item partitionIndex = early.get("INDEX events_2024_what_idx");
        assertThat(partitionIndex.tableData()).containsExactly(plan.tableData("public.events_2024"));
        assertThat(partitionIndex.after()).containsExactly(parentIndex.entry().dumpId());
        assertThat(early.get("CONSTRAINT events_2024 events_2024_pkey").after())
                .containsExactly(early.get("CONSTRAINT events events_pkey").entry().dumpId());
    }

    @Test
    void theStagedRestoreLeavesWhatASerialRestoreLeaves(@TempDir Path scratch) throws Exception {
        restoreSerially("serial_copy");
        pg.createDatabase("staged_copy");
        PostgresEngine engine = new PostgresEngine();
        RestorePart staged = engine.restorePart(PostgresDumpCommands.CUSTOM_FORMAT, pg.endpoint("staged_copy"),
                RestoreOptions.staged(2, scratch, "import", TIMEOUT));

        feed(staged, archive);

        assertThat(staged.companion().summary()).contains("with 2 workers");
        for (String catalog : CATALOG) {
            assertThat(pg.queryValue("staged_copy", catalog)).as(catalog).isEqualTo(pg.queryValue("serial_copy", catalog));
        }
        assertThat(pg.queryValue("staged_copy", "SELECT count(*) FROM pg_constraint WHERE NOT convalidated")).isEqualTo("0");
        assertThat(pg.queryValue("staged_copy", "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
        assertThat(pg.queryValue("staged_copy", "SELECT sum(n) FROM order_counts")).isEqualTo("60000");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("the kept table of contents is deleted").isEmpty();
        }
    }

    @Test
    void aPostDataEntryThatCannotBeBuiltStopsTheRestoreAndIsNamed(@TempDir Path scratch) throws Exception {
        pg.createDatabase("clashing_copy");
        // takes the name of an index the dump builds after the data: the pre-data restores, that index cannot
        pg.execute("clashing_copy", "CREATE SEQUENCE orders_customer");
        PostgresEngine engine = new PostgresEngine();
        RestorePart staged = engine.restorePart(PostgresDumpCommands.CUSTOM_FORMAT, pg.endpoint("clashing_copy"),
                RestoreOptions.staged(1, scratch, "import", TIMEOUT));

        assertThatThrownBy(() -> feed(staged, archive))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IMPORT_FAILED);
                    assertThat(e.step()).isEqualTo("import");
                })
                .hasMessageContaining("orders_customer").hasMessageContaining("clashing_copy")
                .hasMessageContaining("already exists");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("nothing kept after the failure").isEmpty();
        }
    }

    @Test
    void anArchiveWhoseTableOfContentsThisFerryCannotReadGetsItsPostDataAfterTheData(@TempDir Path scratch) throws Exception {
        restoreSerially("serial_reference");
        pg.createDatabase("unread_copy");
        PostgresEngine engine = new PostgresEngine();
        RestorePart staged = engine.restorePart(PostgresDumpCommands.CUSTOM_FORMAT, pg.endpoint("unread_copy"),
                RestoreOptions.staged(2, scratch, "import", TIMEOUT));
        // as a newer pg_dump's archive would be: pg_restore knows it, this reader does not
        PostDataRestore unread = new PostDataRestore(PostgresPrograms.fromSystemProperty(), pg.endpoint("unread_copy"), 2, scratch,
                "import", TIMEOUT, (bytes, length) -> {
                    throw new ArchiveToc.UnreadableToc("archive version 1.17.0 is not one this reader knows (1.14 to 1.16)");
                });

        feed(new RestorePart(staged.format(), staged.command(), false, List.of(), false, unread), archive);

        assertThat(unread.summary()).contains("in one pg_restore run", "1.17.0");
        for (String catalog : CATALOG) {
            assertThat(pg.queryValue("unread_copy", catalog)).as(catalog).isEqualTo(pg.queryValue("serial_reference", catalog));
        }
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    /** What a plain pg_restore of the archive leaves in a new database: the reference. */
    private static void restoreSerially(String database) throws IOException {
        pg.createDatabase(database);
        PostgresEngine engine = new PostgresEngine();
        Path file = dumps.resolve(database + ".dump");
        Files.write(file, archive);
        ChildRuns.restore(engine, engine.restorePart(PostgresDumpCommands.CUSTOM_FORMAT, pg.endpoint(database),
                new RestoreOptions(false, 1, null)), file);
    }

    /** Indexes, constraints, triggers, rules, policies and row counts, each as one comparable text. */
    private static final List<String> CATALOG = List.of(
            "SELECT string_agg(indexname || ': ' || indexdef, E'\\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'",
            "SELECT string_agg(conname || ': ' || pg_get_constraintdef(oid) || ' ' || condeferrable || condeferred, E'\\n' ORDER BY conname)"
                    + " FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
            "SELECT string_agg(tgname || ': ' || pg_get_triggerdef(oid), E'\\n' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT string_agg(rulename || ': ' || definition, E'\\n' ORDER BY rulename) FROM pg_rules WHERE schemaname = 'public'",
            "SELECT string_agg(policyname || ': ' || qual, E'\\n' ORDER BY policyname) FROM pg_policies",
            "SELECT string_agg(c.relname || ': ' || i.inhparent::regclass, E'\\n' ORDER BY c.relname) FROM pg_inherits i"
                    + " JOIN pg_class c ON c.oid = i.inhrelid",
            "SELECT obj_description('customers_email'::regclass, 'pg_class')",
            "SELECT (SELECT count(*) FROM customers) || ' ' || (SELECT count(*) FROM orders) || ' '"
                    + " || (SELECT count(*) FROM shipments) || ' ' || (SELECT count(*) FROM events)");

    /** What ObjectRestorer does for a stream: every chunk to the companion, then to the tool; then finish. */
    private static void feed(RestorePart part, byte[] bytes) throws IOException {
        RestoreCompanion companion = part.companion();
        assertThat(companion).as("a staged restore builds post-data beside the load").isNotNull();
        try (ChildProcess child = ChildProcess.start(part.command(), "import", companion::stderrLine)) {
            try (InputStream in = new java.io.ByteArrayInputStream(bytes); OutputStream stdin = child.stdin()) {
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    companion.bytes(chunk, 0, n);
                    stdin.write(chunk, 0, n);
                }
            }
            child.awaitSuccess(TIMEOUT, "import");
            companion.finish(TIMEOUT);
        } catch (IOException | RuntimeException e) {
            companion.abort();
            throw e;
        }
    }
}
