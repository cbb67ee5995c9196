package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ServerVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version texts of both flavours; MySQL's are checked here only, as no MySQL server or tool is installed. */
class MySqlVersionsTest {

    @Test
    void mariaDbServer() {
        assertThat(MySqlVersions.fromServer("10.11.6-MariaDB-0+deb12u1", "Debian 12"))
                .isEqualTo(new ServerVersion("mariadb", 1011, "10.11.6-MariaDB-0+deb12u1"));
        assertThat(MySqlVersions.fromServer("11.4.2-MariaDB", "MariaDB Server").major()).isEqualTo(1104);
        assertThat(MySqlVersions.fromServer("5.5.5-10.3.39-MariaDB-log", "MariaDB Server"))
                .isEqualTo(new ServerVersion("mariadb", 1003, "10.3.39-MariaDB-log"));
    }

    @Test
    void mySqlAndPerconaServers() {
        assertThat(MySqlVersions.fromServer("8.0.36", "MySQL Community Server - GPL"))
                .isEqualTo(new ServerVersion("mysql", 800, "8.0.36"));
        assertThat(MySqlVersions.fromServer("8.4.0-commercial", "MySQL Enterprise Server - Commercial").major()).isEqualTo(804);
        assertThat(MySqlVersions.fromServer("5.7.44-log", "MySQL Community Server (GPL)").major()).isEqualTo(507);
        assertThat(MySqlVersions.fromServer("8.0.36-28", "Percona Server (GPL), Release 28, Revision 47601f19"))
                .isEqualTo(new ServerVersion("mysql", 800, "8.0.36-28"));
    }

    @Test
    void mariaDbTools() {
        assertThat(MySqlVersions.fromToolOutput(
                "mariadb-dump  Ver 10.19 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n", "mariadb-dump", "t"))
                .isEqualTo(new ServerVersion("mariadb", 1011, "10.11.6-MariaDB"));
        assertThat(MySqlVersions.fromToolOutput(
                "mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper", "mariadb", "t"))
                .isEqualTo(new ServerVersion("mariadb", 1011, "10.11.19-MariaDB"));
        assertThat(MySqlVersions.fromToolOutput(
                "mariadb-dump from 11.4.2-MariaDB, client 10.19 for debian-linux-gnu (x86_64)", "mariadb-dump", "t"))
                .isEqualTo(new ServerVersion("mariadb", 1104, "11.4.2-MariaDB"));
    }

    @Test
    void mySqlTools() {
        assertThat(MySqlVersions.fromToolOutput(
                "mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)", "mysqldump", "t"))
                .isEqualTo(new ServerVersion("mysql", 800, "8.0.36"));
        assertThat(MySqlVersions.fromToolOutput(
                "mysql  Ver 8.4.0 for Linux on x86_64 (MySQL Community Server - GPL)", "mysql", "t"))
                .isEqualTo(new ServerVersion("mysql", 804, "8.4.0"));
        assertThat(MySqlVersions.fromToolOutput("mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)", "mysqldump", "t"))
                .isEqualTo(new ServerVersion("mysql", 507, "5.7.44"));
    }

    @Test
    void unreadableToolOutputIsAToolFailure() {
        assertThatThrownBy(() -> MySqlVersions.fromToolOutput("command not found", "mysqldump", "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_MISSING);
                    assertThat(e.step()).isEqualTo("preflight");
                });
    }
}
