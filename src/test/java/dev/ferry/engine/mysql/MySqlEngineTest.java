package dev.ferry.engine.mysql;

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
import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.MySqlSampleData;
import dev.ferry.process.ChildCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine against two local MariaDB 10.11 servers: a source with the sample shop and a target. */
class MySqlEngineTest {

    private static final String SOURCE = "shop";
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Path sourceDump;
    private static Inventory sourceInventory;
    @TempDir
    static Path dumps;

    private final Engine engine = new MySqlEngine();

    @BeforeAll
    static void startServersWithSampleDataAndDumpIt() throws IOException {
        source = LocalMariaDb.start();
        target = LocalMariaDb.start();
        source.createDatabase(SOURCE);
        MySqlSampleData.load(source, SOURCE, 1);
        List<DumpPart> parts = new MySqlEngine().dumpParts(source.endpoint(SOURCE), new DumpOptions(true));
        sourceDump = ChildRuns.dump(new MySqlEngine(), parts.get(0), dumps);
        sourceInventory = new MySqlEngine().inventory(source.endpoint(SOURCE), new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "test");
    }

    @AfterAll
    static void stopServers() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void isFoundByItsNamesAndAliases() {
        assertThat(Engines.forName("mariadb", "test")).isInstanceOf(MySqlEngine.class);
        assertThat(Engines.forName("MySQL", "test")).isInstanceOf(MySqlEngine.class);
        assertThat(engine.handles("percona")).isTrue();
        assertThat(engine.handles("pxc")).isTrue();
        assertThat(engine.handles("postgres")).isFalse();
        assertThat(engine.name()).isEqualTo("mysql");
        assertThat(engine.defaultPort()).isEqualTo(3306);
    }

    @Test
    void probesServerAndDumpTool() {
        assertThat(engine.probeServer(source.endpoint(SOURCE), "test").flavour()).isEqualTo("mariadb");
        assertThat(engine.probeServer(source.endpoint(SOURCE), "test").major()).isEqualTo(1011);
        assertThat(engine.dumpToolVersion(engine.probeServer(source.endpoint(SOURCE), "test"), "test").flavour()).isEqualTo("mariadb");
        assertThat(engine.dumpToolVersion(engine.probeServer(source.endpoint(SOURCE), "test"), "test").major()).isEqualTo(1011);
        assertThat(engine.dumpToolVersion(engine.probeServer(source.endpoint(SOURCE), "test"), "test").full()).startsWith("10.11.");
    }

    @Test
    void wrongPasswordIsACredentialsFailureThatDoesNotShowThePassword() {
        String wrong = "not-the-password-" + System.nanoTime();
        DatabaseEndpoint endpoint = new DatabaseEndpoint("mysql", source.host(), source.port(), SOURCE, "root",
                Secret.of(wrong, "test"), Map.of());

        assertThatThrownBy(() -> engine.probeServer(endpoint, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
                    assertThat(e.step()).isEqualTo("preflight");
                    assertThat(e.getMessage()).contains("root@127.0.0.1:" + source.port() + "/" + SOURCE)
                            .doesNotContain(wrong).doesNotContain(source.password().reveal());
                });
    }

    @Test
    void unreachableServerAndMissingDatabaseAreConnectionFailures() {
        DatabaseEndpoint unreachable = new DatabaseEndpoint("mysql", "127.0.0.1", 1, SOURCE, "root",
                source.password(), Map.of());
        assertThatThrownBy(() -> engine.isEmpty(unreachable, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION));
        assertThatThrownBy(() -> engine.probeServer(source.endpoint("no_such_db"), "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.getMessage()).contains("No database");
                });
    }

    @Test
    void commandsCarryThePasswordInAPrivateFileOnly() throws IOException {
        List<DumpPart> parts = engine.dumpParts(source.endpoint(SOURCE), new DumpOptions(false));
        RestorePart restore = engine.restorePart("mysqldump-sql", target.endpoint("x"), new RestoreOptions(true, 1, null));
        Map<String, ChildCommand> commands = Map.of(source.password().reveal(), parts.get(0).command(),
                target.password().reveal(), restore.command());
        for (var entry : commands.entrySet()) {
            String secret = entry.getKey();
            ChildCommand command = entry.getValue();
            for (String password : List.of(source.password().reveal(), target.password().reveal())) {
                assertThat(command.argv()).noneMatch(argument -> argument.contains(password));
                assertThat(command.environment().values()).noneMatch(value -> value.contains(password));
            }
            assertThat(command.argv().get(1)).startsWith("--defaults-extra-file=");
            Path file = MySqlToolOptions.optionsFile(command).orElseThrow();
            assertThat(Files.getPosixFilePermissions(file)).extracting(Enum::name)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            assertThat(Files.readString(file)).contains(secret);
            assertThat(file).doesNotExist();
            engine.release(command);
            assertThat(MySqlToolOptions.optionsFile(command)).isEmpty();
        }
        assertThat(parts.get(0).command().argv()).doesNotContain("--databases")
                .noneMatch(argument -> argument.startsWith("--set-gtid-purged"));
    }

    @Test
    void theDumpHasNoCreateDatabaseNorUse() throws IOException {
        String dump = Files.readString(sourceDump);
        assertThat(dump).doesNotContain("CREATE DATABASE").doesNotContainPattern("(?m)^USE ")
                .contains("CREATE TABLE `products`", "DROP TABLE IF EXISTS `orders`", "TRIGGER", "FUNCTION `order_total`",
                        "PROCEDURE `cancel_order`", "EVENT `purge_audit`", "CREATE SEQUENCE `invoice_number`");
        assertThat(dump).contains("Bitte klingeln — 2. Stock 😀");
    }

    @Test
    void inventoryListsTheSampleObjects() {
        assertThat(sourceInventory.tables()).containsOnlyKeys("customers", "order_audit", "order_items", "orders",
                "products", "tags");
        assertThat(sourceInventory.tables().get("orders").rows()).isEqualTo(1000);
        assertThat(sourceInventory.tables().get("order_audit").rows()).isEqualTo(1000);
        assertThat(sourceInventory.tables().get("order_items").rows()).isEqualTo(3000);
        assertThat(sourceInventory.tables().get("tags").rows()).isEqualTo(4);
        assertThat(sourceInventory.tables().get("orders").checksum()).isNotBlank().isNotEqualTo("0");
        assertThat(sourceInventory.counters()).containsKey("invoice_number").containsKey("orders auto_increment");
        assertThat(sourceInventory.objects().get("views").keySet()).containsExactly("customer_order_counts");
        assertThat(sourceInventory.objects().get("routines").keySet()).containsExactly("FUNCTION order_total", "PROCEDURE cancel_order");
        assertThat(sourceInventory.objects().get("triggers").keySet()).containsExactly("orders_audit_insert");
        assertThat(sourceInventory.objects().get("events").keySet()).containsExactly("purge_audit");
        assertThat(sourceInventory.objects().get("table-definitions").get("tags")).contains("utf8mb4/utf8mb4_bin");
        assertThat(sourceInventory.objects().get("table-definitions").get("orders")).contains("InnoDB", "utf8mb4/utf8mb4_general_ci");
        assertThat(sourceInventory.objects().get("columns").get("customers.email")).contains("collate utf8mb4_unicode_ci");
        assertThat(sourceInventory.objects()).containsKeys("columns", "indexes", "foreign-keys", "check-constraints", "sequences");

        Inventory withoutChecksums = engine.inventory(source.endpoint(SOURCE), dev.ferry.engine.FigureRequest.counts(), "test");
        assertThat(withoutChecksums.tables().get("orders")).isEqualTo(new Inventory.TableFigures(1000, null));
    }

    @Test
    void restoreIntoAnotherDatabaseOnAnotherServerReproducesTheSource() throws IOException {
        DatabaseEndpoint copy = target.endpoint("copy `of` shop");
        engine.ensureDatabase(copy, "preflight");
        engine.ensureDatabase(copy, "preflight");
        assertThat(engine.isEmpty(copy, "preflight")).isTrue();

        ChildRuns.restore(engine, engine.restorePart("mysqldump-sql", copy, new RestoreOptions(false, 1, null)), sourceDump);

        assertThat(engine.isEmpty(copy, "smoke-test")).isFalse();
        assertThat(engine.inventory(copy, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isEqualTo(sourceInventory);
        String db = "copy `of` shop";
        for (String sql : List.of("SELECT name FROM products WHERE id = 5", "SELECT HEX(thumbnail) FROM products WHERE id = 3",
                "SELECT attributes FROM products WHERE id = 1", "SELECT ordered_at FROM orders WHERE id = 100500",
                "SELECT order_total(100007)", "SELECT COUNT(*) FROM tags WHERE code = 'CAFÉ'")) {
            assertThat(target.queryValue(db, sql)).as(sql).isEqualTo(source.queryValue(SOURCE, sql));
        }
        assertThat(target.queryValue(db, "SELECT name FROM products WHERE id = 4")).isEqualTo("Rocket 🚀 #4");
        assertThat(target.queryValue(db, "SELECT HEX(thumbnail) FROM products WHERE id = 3")).startsWith("00FF").endsWith("000A0D5C27");

        // a changed row shows
        target.execute(db, "UPDATE customers SET email = NULL WHERE id = 7");
        Inventory changed = engine.inventory(copy, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test");
        assertThat(changed.tables().get("customers").rows()).isEqualTo(sourceInventory.tables().get("customers").rows());
        assertThat(changed.tables().get("customers").checksum()).isNotEqualTo(sourceInventory.tables().get("customers").checksum());
        assertThat(changed.tables().get("orders")).isEqualTo(sourceInventory.tables().get("orders"));
    }

    @Test
    void cleanRestoreReplacesWhatIsThere() throws IOException {
        DatabaseEndpoint copy = target.endpoint("clean_copy");
        engine.ensureDatabase(copy, "import");
        ChildRuns.restore(engine, engine.restorePart("mysqldump-sql", copy, new RestoreOptions(true, 1, null)), sourceDump);
        target.execute("clean_copy", "DELETE FROM order_items WHERE line = 3; INSERT INTO tags VALUES ('new', 'row');"
                + " DROP VIEW customer_order_counts; DROP FUNCTION order_total; DROP EVENT purge_audit;"
                + " ALTER TABLE tags COLLATE utf8mb4_general_ci;"
                + " DROP TRIGGER orders_audit_insert; SELECT SETVAL(invoice_number, 9000)");
        assertThat(engine.inventory(copy, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isNotEqualTo(sourceInventory);

        ChildRuns.restore(engine, engine.restorePart("mysqldump-sql", copy, new RestoreOptions(true, 1, null)), sourceDump);

        assertThat(engine.inventory(copy, new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test")).isEqualTo(sourceInventory);
    }

    @Test
    void recreateDatabaseEmptiesItAndKeepsItsCollation() throws IOException {
        DatabaseEndpoint copy = target.endpoint("to_recreate");
        target.execute("mysql", "CREATE DATABASE to_recreate CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        ChildRuns.restore(engine, engine.restorePart("mysqldump-sql", copy, new RestoreOptions(false, 1, null)), sourceDump);
        assertThat(engine.isEmpty(copy, "import")).isFalse();

        engine.recreateDatabase(copy, "import");

        assertThat(engine.isEmpty(copy, "import")).isTrue();
        assertThat(target.queryValue("to_recreate", "SELECT @@collation_database")).isEqualTo("utf8mb4_unicode_ci");
        engine.recreateDatabase(target.endpoint("never_existed"), "import");
        assertThat(target.queryValue("never_existed", "SELECT @@character_set_database")).isEqualTo("utf8mb4");
    }

    @Test
    void checksumsTellNullFromEmptyText() {
        target.createDatabase("nulls");
        target.execute("nulls", "CREATE TABLE a (x VARCHAR(5), y VARCHAR(5)); CREATE TABLE b (x VARCHAR(5), y VARCHAR(5));"
                + " INSERT INTO a VALUES (NULL, ''), ('a|', 'b'); INSERT INTO b VALUES ('', NULL), ('a', '|b')");
        Inventory inventory = engine.inventory(target.endpoint("nulls"), new dev.ferry.engine.FigureRequest(true, null, java.util.Map.of(), 2), "smoke-test");
        assertThat(inventory.tables().get("a").checksum()).isNotEqualTo(inventory.tables().get("b").checksum());
        assertThat(inventory.objects().get("views").keySet()).isEmpty();
        assertThat(inventory.counters()).isEmpty();
    }

    @Test
    void queryValueIsReadOnly() {
        assertThat(engine.queryValue(source.endpoint(SOURCE), "SELECT COUNT(*) FROM orders WHERE status = 'paid'", "check"))
                .isEqualTo("200");
        assertThat(engine.queryValue(source.endpoint(SOURCE), "SELECT note FROM orders WHERE id = 100001", "check"))
                .isEqualTo("null");
        for (String sql : List.of("DELETE FROM orders", "DROP TABLE tags", "CREATE TABLE sneaky (id INT)",
                "SELECT 1; DROP TABLE tags")) {
            assertThatThrownBy(() -> engine.queryValue(source.endpoint(SOURCE), sql, "check")).as(sql)
                    .isInstanceOf(FerryException.class);
        }
        assertThat(engine.queryValue(source.endpoint(SOURCE), "SELECT COUNT(*) FROM tags", "check")).isEqualTo("4");
        assertThat(engine.isEmpty(source.endpoint(SOURCE), "check")).isFalse();
    }

    @Test
    void unknownFormatIsRefused() {
        assertThatThrownBy(() -> engine.restorePart("pg_dump-custom", target.endpoint("x"), new RestoreOptions(false, 1, null)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
    }
}
