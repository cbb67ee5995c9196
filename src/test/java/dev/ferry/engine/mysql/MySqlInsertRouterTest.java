package dev.ferry.engine.mysql;

import dev.ferry.FerryException;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.process.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The insert router on a real MariaDB, fed a dump as mysqldump writes it (one line per INSERT) and
 * as mariadb-dump 10.11 writes it (one line per row), in chunks that cut lines anywhere: the rows
 * it loads with two sessions equal the rows the client alone loads from the same dump.
 */
class MySqlInsertRouterTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** Child rows come before their parents (tables in name order) and the TIMESTAMPs are in UTC: the sessions need the dump's SETs. */
    private static final String DUMP = """
            /*M!999999\\- enable the sandbox mode */\s
            -- MySQL dump 10.13
            /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
            /*!50503 SET NAMES utf8mb4 */;
            /*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
            /*!40103 SET TIME_ZONE='+00:00' */;
            /*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
            /*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

            --
            -- Table structure for table `audit`
            --

            DROP TABLE IF EXISTS `audit`;
            CREATE TABLE `audit` (
              `id` int NOT NULL,
              `what` varchar(40) NOT NULL,
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

            DROP TABLE IF EXISTS `child`;
            CREATE TABLE `child` (
              `id` int NOT NULL AUTO_INCREMENT,
              `parent_id` int NOT NULL,
              `note` varchar(100) DEFAULT NULL,
              `at` timestamp NULL DEFAULT NULL,
              `bytes` varbinary(16) DEFAULT NULL,
              PRIMARY KEY (`id`),
              CONSTRAINT `child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

            LOCK TABLES `child` WRITE;
            /*!40000 ALTER TABLE `child` DISABLE KEYS */;
            %CHILD_ROWS%
            /*!40000 ALTER TABLE `child` ENABLE KEYS */;
            UNLOCK TABLES;

            DROP TABLE IF EXISTS `parent`;
            CREATE TABLE `parent` (
              `id` int NOT NULL AUTO_INCREMENT,
              `name` varchar(100) NOT NULL,
              PRIMARY KEY (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

            LOCK TABLES `parent` WRITE;
            %PARENT_ROWS%
            UNLOCK TABLES;
            /*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
            /*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES' */ ;
            DELIMITER ;;
            /*!50003 CREATE*/ /*!50003 TRIGGER parent_audit AFTER INSERT ON parent
            FOR EACH ROW INSERT INTO audit (id, what) VALUES (NEW.id, 'trigger fired') */;;
            DELIMITER ;
            /*!50003 SET sql_mode              = @saved_sql_mode */ ;
            DELIMITER ;;
            CREATE PROCEDURE `add_audit`()
            BEGIN
            INSERT INTO `audit` VALUES (99, 'procedure ran');
            END ;;
            DELIMITER ;
            /*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
            /*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
            /*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;

            -- Dump completed
            """;
    private static final List<String> CHECKS = List.of(
            "SELECT COUNT(*), SUM(parent_id), GROUP_CONCAT(MD5(CONCAT_WS('|', id, parent_id, note, UNIX_TIMESTAMP(at), HEX(bytes)))"
                    + " ORDER BY id) FROM child",
            "SELECT COUNT(*), GROUP_CONCAT(MD5(CONCAT(id, name)) ORDER BY id) FROM parent",
            "SELECT COUNT(*) FROM child WHERE id = 0",
            "SELECT COUNT(*) FROM audit",
            "SELECT GROUP_CONCAT(routine_name) FROM information_schema.routines WHERE routine_schema = DATABASE()",
            "SELECT GROUP_CONCAT(trigger_name) FROM information_schema.triggers WHERE trigger_schema = DATABASE()");

    static LocalMariaDb server;

    @TempDir
    Path scratch;

    @BeforeAll
    static void startServer() {
        server = LocalMariaDb.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** mysqldump's layout: each INSERT on one line; mariadb-dump's: the rows of an INSERT one to a line. */
    private static String dump(boolean rowPerLine, int statements, int rowsEach) {
        StringBuilder children = new StringBuilder();
        StringBuilder parents = new StringBuilder();
        int child = 0;
        for (int s = 0; s < statements; s++) {
            children.append("INSERT INTO `child` VALUES ");
            parents.append("INSERT INTO `parent` VALUES ");
            for (int r = 0; r < rowsEach; r++) {
                String separator = r == rowsEach - 1 ? ";" : ",";
                String breakLine = rowPerLine ? "\n" : "";
                int parent = s * rowsEach + r + 1;
                children.append(breakLine).append('(').append(child).append(',').append(parent).append(",'row ").append(child)
                        .append(" 😀 it''s\\n;'").append(",'2024-03-31 01:30:00',0x00FF").append(Integer.toHexString(child % 256))
                        .append(')').append(separator);
                parents.append(breakLine).append('(').append(parent).append(",'parent ").append(parent).append("')").append(separator);
                child++;
            }
            children.append('\n');
            parents.append('\n');
        }
        return DUMP.replace("%CHILD_ROWS%\n", children.toString()).replace("%PARENT_ROWS%\n", parents.toString());
    }

    private static String load(String database, String dump, int jobs, int chunk) throws IOException {
        server.createDatabase(database);
        MySqlEngine engine = new MySqlEngine();
        RestorePart part = engine.restorePart(MySqlDumpCommands.SQL_FORMAT, server.endpoint(database),
                RestoreOptions.staged(jobs, null, "test", TIMEOUT));
        try (ChildProcess child = ChildProcess.start(part.command(), "test")) {
            OutputStream input = part.companion() == null ? child.stdin() : part.companion().input(child);
            byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);
            try {
                for (int at = 0; at < bytes.length; at += chunk) {
                    int length = Math.min(chunk, bytes.length - at);
                    if (part.companion() != null) {
                        part.companion().bytes(bytes, at, length);
                    }
                    input.write(bytes, at, length);
                }
                input.close();
                child.awaitSuccess(TIMEOUT, "test");
                if (part.companion() == null) {
                    return "";
                }
                part.companion().finish(TIMEOUT);
                return part.companion().summary();
            } catch (RuntimeException e) {
                if (part.companion() != null) {
                    part.companion().abort();
                }
                throw e;
            }
        } finally {
            engine.release(part.command());
        }
    }

    private static void assertSameRows(String expected, String actual) {
        for (String sql : CHECKS) {
            assertThat(server.queryValue(actual, sql)).as(sql).isEqualTo(server.queryValue(expected, sql));
        }
    }

    @Test
    void twoSessionsLoadTheRowsOfAMysqldumpLayoutAsTheClientAloneDoes() throws IOException {
        String dump = dump(false, 40, 50);
        load("single_line_client", dump, 1, 256 * 1024);
        int optionPipes = MySqlToolOptions.outstanding();

        String summary = load("single_line_routed", dump, 2, 7);

        assertThat(MySqlToolOptions.outstanding()).as("every session's options pipe was released").isEqualTo(optionPipes);

        assertSameRows("single_line_client", "single_line_routed");
        assertThat(server.queryValue("single_line_routed", "SELECT COUNT(*) FROM child")).isEqualTo("2000");
        assertThat(server.queryValue("single_line_routed", "SELECT COUNT(*) FROM audit")).as("the trigger came after the rows").isEqualTo("0");
        assertThat(summary).contains("80 INSERT statements", "4 LOCK/UNLOCK TABLES statements left out");
        assertThat(summary).doesNotContain("session 1: 0 statements").doesNotContain("session 2: 0 statements");
    }

    @Test
    void twoSessionsLoadTheRowsOfAMariadbDumpLayoutAsTheClientAloneDoes() throws IOException {
        String dump = dump(true, 30, 40);
        load("row_lines_client", dump, 1, 256 * 1024);

        String summary = load("row_lines_routed", dump, 2, 4093);

        assertSameRows("row_lines_client", "row_lines_routed");
        assertThat(server.queryValue("row_lines_routed", "SELECT COUNT(*) FROM parent")).isEqualTo("1200");
        assertThat(summary).contains("60 INSERT statements");
    }

    @Test
    void aSessionsErrorStopsTheLoadAndNamesTheSessionAndTheCause() {
        // the last child row of the second statement repeats the first row's key
        String dump = dump(false, 5, 20).replace("(39,40,'row 39", "(0,40,'row 39");
        int optionPipes = MySqlToolOptions.outstanding();

        assertThatThrownBy(() -> load("duplicate_routed", dump, 2, 1024))
                .isInstanceOf(FerryException.class)
                .hasMessageContaining("Loading session")
                .hasMessageContaining("duplicate_routed")
                .hasMessageContaining("Duplicate entry '0'");
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("/mariadb")))
                .as("every session was stopped").isEmpty();
        assertThat(MySqlToolOptions.outstanding()).as("every session's options pipe was released").isEqualTo(optionPipes);
    }
}
