package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.engine.ServerVersion;
import dev.ferry.process.ChildCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Command lines and options files of both flavours, built without a server. MySQL's programs are
 * not installed here: their command lines are checked only as text.
 */
class MySqlCommandsTest {

    private static final String PASSWORD = "p\"a\\ss #wörd'";
    private static final ServerVersion MYSQL_80 = new ServerVersion("mysql", 800, "8.0.36");
    private static final ServerVersion MYSQL_57 = new ServerVersion("mysql", 507, "5.7.44");
    private static final ServerVersion MARIADB = new ServerVersion("mariadb", 1011, "10.11.6-MariaDB");

    private static DatabaseEndpoint endpoint(Map<String, String> tls) {
        return new DatabaseEndpoint("mysql", "db.internal", 3307, "-shop`s", "app", Secret.of(PASSWORD, "test"), tls);
    }

    @Test
    void mySqlDumpTurnsOffGtidPurgedAndColumnStatistics() {
        ChildCommand command = dump(MYSQL_80, Map.of());
        try {
            assertThat(command.argv().get(1)).startsWith("--defaults-extra-file=");
            assertThat(command.argv()).contains("--single-transaction", "--routines", "--events", "--triggers",
                    "--hex-blob", "--default-character-set=utf8mb4", "--no-tablespaces", "--set-gtid-purged=OFF",
                    "--column-statistics=0").doesNotContain("--databases", "--all-databases");
            assertThat(command.argv().subList(command.argv().size() - 2, command.argv().size()))
                    .containsExactly("--", "-shop`s");
        } finally {
            MySqlToolOptions.release(command);
        }
        ChildCommand older = dump(MYSQL_57, Map.of());
        MySqlToolOptions.release(older);
        assertThat(older.argv()).contains("--set-gtid-purged=OFF").doesNotContain("--column-statistics=0");
    }

    @Test
    void releaseEndsAPipeThatNobodyRead() {
        ChildCommand command = dump(MARIADB, Map.of());
        Path file = MySqlToolOptions.optionsFile(command).orElseThrow();
        int outstanding = MySqlToolOptions.outstanding();
        assertThat(file).exists();

        MySqlToolOptions.release(command);

        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
        assertThat(MySqlToolOptions.outstanding()).isEqualTo(outstanding - 1);
    }

    @Test
    void mariaDbDumpHasNoGtidOption() {
        ChildCommand command = dump(MARIADB, Map.of());
        MySqlToolOptions.release(command);
        assertThat(command.argv()).contains("--routines", "--events", "--hex-blob")
                .noneMatch(argument -> argument.startsWith("--set-gtid-purged") || argument.startsWith("--column-statistics"));
    }

    @Test
    void restoreReadsStdinIntoTheTargetDatabaseAndIsNotAtomic() {
        RestorePart part = new MySqlRestoreCommands().part("mysqldump-sql", endpoint(Map.of()),
                new RestoreOptions(true, 4, null), "mysql", "mysql");
        MySqlToolOptions.release(part.command());
        assertThat(part.atomic()).isFalse();
        assertThat(part.format()).isEqualTo("mysqldump-sql");
        assertThat(part.command().argv().get(0)).isEqualTo("mysql");
        assertThat(part.command().argv().get(1)).startsWith("--defaults-extra-file=");
        assertThat(part.command().argv()).contains("--default-character-set=utf8mb4", "--binary-mode",
                "--database=-shop`s");
        assertThatThrownBy(() -> new MySqlRestoreCommands().part("pg_dump-custom", endpoint(Map.of()),
                new RestoreOptions(false, 1, null), "mysql", "mysql"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
    }

    @Test
    void thePasswordIsOnlyInAPrivateOptionsPipeReadOnce() throws IOException {
        ChildCommand command = dump(MYSQL_80, Map.of());
        Path file = MySqlToolOptions.optionsFile(command).orElseThrow();

        assertThat(command.argv()).noneMatch(argument -> argument.contains("wörd"));
        assertThat(command.environment()).doesNotContainKey("MYSQL_PWD")
                .allSatisfy((name, value) -> assertThat(value).doesNotContain("wörd"));
        assertThat(command.toString()).doesNotContain("wörd");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        // a named pipe: nothing of it is on disk, and it is gone as soon as its one reader opened it
        assertThat(Files.isRegularFile(file)).isFalse();
        assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).isOther()).isTrue();
        assertThat(Files.readString(file)).contains("[client]", "user=\"app\"", "password=\"p\\\"a\\\\ss #wörd'\"",
                "host=\"db.internal\"", "port=3307", "protocol=TCP");
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();

        MySqlToolOptions.release(command);
        assertThat(MySqlToolOptions.optionsFile(command)).isEmpty();
        MySqlToolOptions.release(command);
        assertThat(MySqlToolOptions.optionsFile(command)).isEmpty();
    }

    @Test
    void tlsSettingsAreSpelledForEachFlavour() {
        DatabaseEndpoint verifyFull = endpoint(Map.of("sslMode", "verify-full", "sslCa", "/etc/ssl/ca.pem"));
        assertThat(MySqlToolOptions.contents(verifyFull, "mysql", MySqlTls.of(verifyFull, "t")))
                .contains("ssl-mode=VERIFY_IDENTITY\n", "ssl-ca=\"/etc/ssl/ca.pem\"\n");
        assertThat(MySqlToolOptions.contents(verifyFull, "mariadb", MySqlTls.of(verifyFull, "t")))
                .contains("ssl\n", "ssl-verify-server-cert\n", "ssl-ca=\"/etc/ssl/ca.pem\"\n");

        DatabaseEndpoint verifyCa = endpoint(Map.of("sslCa", "/ca.pem"));
        assertThat(MySqlToolOptions.contents(verifyCa, "mysql", MySqlTls.of(verifyCa, "t"))).contains("ssl-mode=VERIFY_CA\n");

        DatabaseEndpoint disable = endpoint(Map.of("sslMode", "disable"));
        assertThat(MySqlToolOptions.contents(disable, "mysql", MySqlTls.of(disable, "t"))).contains("ssl-mode=DISABLED\n");
        assertThat(MySqlToolOptions.contents(disable, "mariadb", MySqlTls.of(disable, "t"))).contains("skip-ssl\n");

        DatabaseEndpoint trust = endpoint(Map.of("sslMode", "TRUST"));
        assertThat(MySqlToolOptions.contents(trust, "mysql", MySqlTls.of(trust, "t"))).contains("ssl-mode=REQUIRED\n");
        assertThat(MySqlToolOptions.contents(trust, "mariadb", MySqlTls.of(trust, "t")))
                .contains("ssl\n", "skip-ssl-verify-server-cert\n");

        assertThat(MySqlConnections.properties(verifyFull, dev.ferry.engine.JdbcUse.PROBE, "t")).containsEntry("sslMode", "verify-full")
                .containsEntry("serverSslCert", "/etc/ssl/ca.pem");
    }

    @Test
    void unknownTlsSettingsAreRefused() {
        for (Map<String, String> tls : List.of(Map.of("sslmode", "disable"), Map.of("sslMode", "required"))) {
            assertThatThrownBy(() -> MySqlTls.of(endpoint(tls), "preflight"))
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT));
        }
    }

    @Test
    void checksumExpressionTellsNullFromEmptyAndHexesBinaries() {
        String text = MySqlRowHash.rowText(List.of(new String[]{"a`b", "varchar"}, new String[]{"img", "blob"},
                new String[]{"at", "timestamp"}, new String[]{"flags", "bit"}));
        assertThat(text).contains("IF(`a``b` IS NULL, '~'", "HEX(`img`)", "CAST(`at` AS CHAR)", "CAST(`flags` AS UNSIGNED)");
    }

    private static ChildCommand dump(ServerVersion tool, Map<String, String> tls) {
        List<DumpPart> parts = new MySqlDumpCommands().parts(endpoint(tls), "mysqldump", tool);
        assertThat(parts).singleElement().satisfies(part -> {
            assertThat(part.name()).isEqualTo("database.sql");
            assertThat(part.format()).isEqualTo("mysqldump-sql");
        });
        return parts.get(0).command();
    }
}
