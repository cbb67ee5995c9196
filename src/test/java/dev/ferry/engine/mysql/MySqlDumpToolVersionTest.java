package dev.ferry.engine.mysql;

import dev.ferry.engine.ServerVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dump tool's version is the version of the tool that dumps the source's flavour: with both
 * installed, a MySQL source gets mysqldump's, a MariaDB source mariadb-dump's (it was always
 * mariadb-dump's, which then landed in a MySQL artifact's manifest).
 */
class MySqlDumpToolVersionTest {

    @Test
    void eachFlavourGetsItsOwnDumpToolsVersion(@TempDir Path folder) throws Exception {
        // a stand-in mysqldump printing what MySQL 8's prints (no MySQL tools are installed here), beside a stand-in mariadb-dump
        executable(folder.resolve("mysqldump"), "mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)");
        executable(folder.resolve("mariadb-dump"), "mariadb-dump  Ver 10.19 Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)");
        MySqlEngine engine = new MySqlEngine(folder);

        ServerVersion forMySql = engine.dumpToolVersion(new ServerVersion(MySqlVersions.MYSQL, 800, "8.0.36"), "test");
        ServerVersion forMariaDb = engine.dumpToolVersion(new ServerVersion(MySqlVersions.MARIADB, 1011, "10.11.6"), "test");

        assertThat(forMySql.flavour()).isEqualTo(MySqlVersions.MYSQL);
        assertThat(forMySql.full()).isEqualTo("8.0.36");
        assertThat(forMariaDb.flavour()).isEqualTo(MySqlVersions.MARIADB);
        assertThat(forMariaDb.full()).startsWith("10.11.6");
    }

    private static void executable(Path path, String versionLine) throws Exception {
        Files.writeString(path, "#!/bin/sh\necho '" + versionLine + "'\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
    }
}
