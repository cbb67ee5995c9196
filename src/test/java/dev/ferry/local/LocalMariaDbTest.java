package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalMariaDbTest {

    @Test
    void startsRunsSqlSurvivesARestartAndLeavesNothingBehind() {
        Path folder;
        long pid;
        try (LocalMariaDb db = LocalMariaDb.start()) {
            folder = db.folder();
            pid = db.pid();
            assertThat(db.version().flavour()).isEqualTo("mariadb");
            assertThat(db.version().major()).isEqualTo(1011);
            assertThat(db.superuser()).isEqualTo("root");
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            db.createDatabase("shop été");
            db.execute("shop été", "CREATE TABLE t (id INT, name TEXT); INSERT INTO t VALUES (1, 'Zoë 日本 😀'), (2, NULL)");
            assertThat(db.queryValue("shop été", "SELECT name FROM t WHERE id = 1")).isEqualTo("Zoë 日本 😀");
            assertThat(db.queryValue("shop été", "SELECT name FROM t WHERE id = 2")).isEqualTo("null");
            assertThat(db.queryValue("shop été", "SELECT @@character_set_database")).isEqualTo("utf8mb4");
            assertThat(db.queryValue("mysql", "SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'root'"
                    + " AND JSON_VALUE(Priv, '$.authentication_string') = ''")).isEqualTo("0");

            db.stopServer();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            db.restart();
            assertThat(db.queryValue("shop été", "SELECT COUNT(*) FROM t")).isEqualTo("2");
            pid = db.pid();
        }
        assertThat(folder).doesNotExist();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void sampleDataFollowsTheScale() {
        try (LocalMariaDb db = LocalMariaDb.start()) {
            db.createDatabase("shop");
            MySqlSampleData.load(db, "shop", 2);
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM products")).isEqualTo("40");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM customers")).isEqualTo("400");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM orders")).isEqualTo("2000");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM order_audit")).isEqualTo("2000");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM order_items")).isEqualTo("6000");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM products WHERE thumbnail LIKE CONCAT('%', X'00', '%')"))
                    .isEqualTo("30");
            assertThat(db.queryValue("shop", "SELECT COUNT(*) FROM customers WHERE email IS NULL")).isEqualTo("23");
            assertThat(db.queryValue("shop", "SELECT JSON_VALUE(attributes, '$.colour') FROM products WHERE id = 2"))
                    .isEqualTo("青");
            assertThat(db.queryValue("shop", "SELECT MIN(id) FROM orders")).isEqualTo("100001");
            assertThatThrownBy(() -> MySqlSampleData.load(db, "shop", 0))
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
        }
    }
}
