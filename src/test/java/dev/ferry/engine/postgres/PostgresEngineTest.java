package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.testing.ChildRuns;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.local.SampleData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresEngineTest {

    private static final String SOURCE = "shop";
    private static LocalPostgres pg;
    private static Path sourceDump;
    private static Path globalsDump;
    private static Inventory sourceInventory;
    @TempDir
    static Path dumps;

    private final Engine engine = new PostgresEngine();

    @BeforeAll
    static void startServerWithSampleDataAndDumpIt() throws IOException {
        pg = LocalPostgres.start(PostgresBinaries.system());
        pg.createDatabase(SOURCE);
        SampleData.load(pg, SOURCE, 1);
        pg.execute(SOURCE, "CREATE ROLE shop_reader LOGIN");
        List<DumpPart> parts = new PostgresEngine().dumpParts(pg.endpoint(SOURCE), new DumpOptions(true));
        globalsDump = ChildRuns.dump(new PostgresEngine(), parts.get(0), dumps);
        sourceDump = ChildRuns.dump(new PostgresEngine(), parts.get(1), dumps);
        sourceInventory = new PostgresEngine().inventory(pg.endpoint(SOURCE), new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "test");
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    @Test
    void isFoundByItsNamesAndAliases() {
        assertThat(Engines.forName("pg", "test")).isInstanceOf(PostgresEngine.class);
        assertThat(engine.handles("PostgreSQL")).isTrue();
        assertThat(engine.handles("postgres")).isTrue();
        assertThat(engine.handles("mysql")).isFalse();
        assertThat(engine.name()).isEqualTo("postgresql");
        assertThat(engine.defaultPort()).isEqualTo(5432);
    }

    @Test
    void probesServerAndDumpTool() {
        assertThat(engine.probeServer(pg.endpoint(SOURCE), "test").major()).isEqualTo(15);
        assertThat(engine.dumpToolVersion(engine.probeServer(pg.endpoint(SOURCE), "test"), "test").major()).isEqualTo(15);
        assertThat(engine.dumpToolVersion(engine.probeServer(pg.endpoint(SOURCE), "test"), "test").full()).startsWith("15.");
    }

    @Test
    void wrongPasswordIsACredentialsFailureThatDoesNotShowThePassword() {
        String wrong = "not-the-password-" + System.nanoTime();
        DatabaseEndpoint endpoint = new DatabaseEndpoint("postgresql", pg.host(), pg.port(), SOURCE, "postgres",
                Secret.of(wrong, "test"), Map.of());

        assertThatThrownBy(() -> engine.probeServer(endpoint, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
                    assertThat(e.step()).isEqualTo("preflight");
                    assertThat(e.getMessage()).contains("postgres@127.0.0.1:" + pg.port() + "/" + SOURCE)
                            .doesNotContain(wrong).doesNotContain(pg.password().reveal());
                });
    }

    @Test
    void unreachableServerIsAConnectionFailure() {
        DatabaseEndpoint endpoint = new DatabaseEndpoint("postgresql", "127.0.0.1", 1, SOURCE, "postgres",
                pg.password(), Map.of());

        assertThatThrownBy(() -> engine.isEmpty(endpoint, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION));
    }

    @Test
    void unknownTlsSettingIsRefused() {
        DatabaseEndpoint endpoint = new DatabaseEndpoint("postgresql", pg.host(), pg.port(), SOURCE, "postgres",
                pg.password(), Map.of("sslmdoe", "require"));

        assertThatThrownBy(() -> engine.probeServer(endpoint, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void commandsCarryThePasswordInTheEnvironmentOnly() {
        DatabaseEndpoint source = pg.endpoint(SOURCE).withDatabase(SOURCE);
        List<RestorePart> restores = List.of(
                engine.restorePart("pg_dump-custom", source, new RestoreOptions(true, 1, null)),
                engine.restorePart("pg_dump-custom", source, new RestoreOptions(false, 2, sourceDump)),
                engine.restorePart("pg_dumpall-globals", source, new RestoreOptions(false, 1, null)));
        List<DumpPart> dumpParts = engine.dumpParts(source, new DumpOptions(true));

        String secret = pg.password().reveal();
        for (var command : dumpParts.stream().map(DumpPart::command).toList()) {
            assertThat(command.argv()).noneMatch(argument -> argument.contains(secret));
            assertThat(command.environment()).containsEntry("PGPASSWORD", secret);
        }
        for (var command : restores.stream().map(RestorePart::command).toList()) {
            assertThat(command.argv()).noneMatch(argument -> argument.contains(secret));
            assertThat(command.environment()).containsEntry("PGPASSWORD", secret);
        }
    }

    @Test
    void dumpPartsComeInRestoreOrder() {
        List<DumpPart> parts = engine.dumpParts(pg.endpoint(SOURCE), new DumpOptions(true));

        assertThat(parts).extracting(DumpPart::name).containsExactly("globals.sql", "database.dump");
        assertThat(parts).extracting(DumpPart::format).containsExactly("pg_dumpall-globals", "pg_dump-custom");
        assertThat(parts.get(1).command().argv()).contains("--format=custom", "--compress=0");
        assertThat(engine.dumpParts(pg.endpoint(SOURCE), new DumpOptions(false))).extracting(DumpPart::name)
                .containsExactly("database.dump");
    }

    @Test
    void restorePartsSayWhetherTheyAreAtomic() {
        DatabaseEndpoint target = pg.endpoint("anything");

        RestorePart streamed = engine.restorePart("pg_dump-custom", target, new RestoreOptions(true, 1, null));
        assertThat(streamed.atomic()).isTrue();
        assertThat(streamed.command().argv()).contains("--single-transaction", "--clean", "--if-exists", "--exit-on-error");

        RestorePart parallel = engine.restorePart("pg_dump-custom", target, new RestoreOptions(false, 2, sourceDump));
        assertThat(parallel.atomic()).isFalse();
        assertThat(parallel.command().argv()).contains("--jobs=2", sourceDump.toString()).doesNotContain("--single-transaction");

        RestorePart globals = engine.restorePart("pg_dumpall-globals", target, new RestoreOptions(false, 1, null));
        assertThat(globals.atomic()).isFalse();
        assertThat(globals.tolerated()).containsExactly("already exists");
        assertThat(globals.command().environment()).containsEntry("PGDATABASE", "postgres");

        assertThatThrownBy(() -> engine.restorePart("mysqldump", target, new RestoreOptions(false, 1, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void inventoryListsTheSampleObjects() {
        assertThat(sourceInventory.tables()).containsOnlyKeys("public.customers", "public.order_items", "public.orders",
                "public.products");
        assertThat(sourceInventory.tables().get("public.orders").rows()).isEqualTo(1000);
        assertThat(sourceInventory.tables().get("public.orders").checksum()).isNotBlank();
        assertThat(sourceInventory.counters()).containsEntry("public.order_number_seq", new Inventory.Counter(101001, false))
                .containsKeys("public.customers_id_seq", "public.products_id_seq");
        assertThat(sourceInventory.objects().get("views").keySet()).containsExactly("public.customer_order_counts");
        assertThat(sourceInventory.objects().get("functions").keySet()).containsExactly("public.order_total(p_order_id bigint)");
        assertThat(sourceInventory.objects().get("extensions").keySet()).containsExactly("plpgsql");

        Inventory withoutChecksums = engine.inventory(pg.endpoint(SOURCE), dev.ferry.engine.FigureRequest.counts(), "test");
        assertThat(withoutChecksums.tables().get("public.orders")).isEqualTo(new Inventory.TableFigures(1000, null));
    }

    @Test
    void streamedRestoreIntoAnOddlyNamedDatabaseReproducesTheSource() throws IOException {
        DatabaseEndpoint target = pg.endpoint("copy=1 'o\"dd'");
        engine.ensureDatabase(target, "import");
        engine.ensureDatabase(target, "import");
        assertThat(engine.isEmpty(target, "preflight")).isTrue();

        ChildRuns.restore(engine, engine.restorePart("pg_dumpall-globals", target, new RestoreOptions(false, 1, null)), globalsDump);
        ChildRuns.restore(engine, engine.restorePart("pg_dump-custom", target, new RestoreOptions(false, 1, null)), sourceDump);

        assertThat(engine.isEmpty(target, "smoke-test")).isFalse();
        assertThat(engine.inventory(target, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isEqualTo(sourceInventory);
    }

    @Test
    void cleanRestoreReplacesWhatIsThere() throws IOException {
        DatabaseEndpoint target = pg.endpoint("clean_copy");
        engine.ensureDatabase(target, "import");
        RestorePart restore = engine.restorePart("pg_dump-custom", target, new RestoreOptions(true, 1, null));
        ChildRuns.restore(engine, restore, sourceDump);
        pg.execute("clean_copy", "DELETE FROM order_items WHERE line = 3");

        ChildRuns.restore(engine, restore, sourceDump);

        assertThat(engine.inventory(target, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isEqualTo(sourceInventory);
    }

    @Test
    void parallelRestoreFromAFileReproducesTheSource() throws IOException {
        DatabaseEndpoint target = pg.endpoint("parallel_copy");
        engine.ensureDatabase(target, "import");

        ChildRuns.restoreNamedFile(engine, engine.restorePart("pg_dump-custom", target, new RestoreOptions(false, 2, sourceDump)));

        assertThat(engine.inventory(target, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isEqualTo(sourceInventory);
    }

    @Test
    void inventoryNoticesAChangedRowAndAMissingRow() throws IOException {
        DatabaseEndpoint target = pg.endpoint("tampered");
        engine.ensureDatabase(target, "import");
        ChildRuns.restore(engine, engine.restorePart("pg_dump-custom", target, new RestoreOptions(false, 1, null)), sourceDump);

        pg.execute("tampered", "UPDATE customers SET name = name || '!' WHERE id = 7");
        pg.execute("tampered", "DELETE FROM order_items WHERE order_id = 100001 AND line = 2");
        Inventory tampered = engine.inventory(target, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test");

        Inventory.TableFigures customers = tampered.tables().get("public.customers");
        assertThat(customers.rows()).isEqualTo(sourceInventory.tables().get("public.customers").rows());
        assertThat(customers.checksum()).isNotEqualTo(sourceInventory.tables().get("public.customers").checksum());
        assertThat(tampered.tables().get("public.order_items").rows())
                .isEqualTo(sourceInventory.tables().get("public.order_items").rows() - 1);
        assertThat(tampered.tables().get("public.orders")).isEqualTo(sourceInventory.tables().get("public.orders"));
    }

    @Test
    void queryValueReturnsTextAndCannotWrite() {
        assertThat(engine.queryValue(pg.endpoint(SOURCE), "SELECT count(*) FROM customers", "smoke-test")).isEqualTo("200");
        assertThat(engine.queryValue(pg.endpoint(SOURCE), "SELECT NULL", "smoke-test")).isEqualTo("null");

        assertThatThrownBy(() -> engine.queryValue(pg.endpoint(SOURCE), "DELETE FROM order_items RETURNING 1", "smoke-test"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
        assertThat(engine.queryValue(pg.endpoint(SOURCE), "SELECT count(*) FROM order_items", "smoke-test")).isEqualTo("3000");
    }
}
