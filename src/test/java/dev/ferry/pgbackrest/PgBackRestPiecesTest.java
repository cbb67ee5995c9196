package dev.ferry.pgbackrest;

import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Settings;
import dev.ferry.storage.ObjectStoreSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Labels, info JSON, the configuration template and the archive settings, without servers. */
class PgBackRestPiecesTest {

    static final Path HOME = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath();

    @Test
    void labelsGiveTheirTypeAndTheCharmsBackupId() {
        assertThat(BackupLabel.type("20250702-085755F")).isEqualTo("full");
        assertThat(BackupLabel.type("20250702-085755F_20250703-010203D")).isEqualTo("diff");
        assertThat(BackupLabel.type("20250702-085755F_20250703-010203I")).isEqualTo("incr");
        assertThat(BackupLabel.charmBackupId("20250702-085755F")).isEqualTo("2025-07-02T08:57:55Z");
        assertThat(BackupLabel.charmBackupId("20250702-085755F_20250703-010203I")).isEqualTo("2025-07-03T01:02:03Z");
        assertThatThrownBy(() -> BackupLabel.charmBackupId("latest")).hasMessageContaining("not a pgBackRest backup label");
    }

    @Test
    void infoReadsABrokenRepositoryAsNotOkWithItsOwnMessages() {
        List<PgBackRestInfo.Stanza> stanzas = PgBackRestInfo.parse("""
                [{"name": "db", "status": {"code": 2, "message": "no valid backups"},
                  "repo": [{"key": 1, "status": {"code": 2, "message": "no valid backups"}}],
                  "db": [{"id": 1, "system-id": 7300000000000000001, "version": "15"}], "backup": []}]
                """);
        assertThat(stanzas).hasSize(1);
        assertThat(stanzas.get(0).ok()).isFalse();
        assertThat(stanzas.get(0).explanation()).isEqualTo("status 2 (no valid backups); repo1: no valid backups");
        assertThat(PgBackRestInfo.parse("not json")).isEmpty();
    }

    @Test
    void infoReadsTheBackupsVersionsAndSystemId() {
        PgBackRestInfo.Stanza stanza = PgBackRestInfo.parse("""
                [{"name": "db", "status": {"code": 0, "message": "ok"}, "repo": [{"key": 1, "status": {"code": 0, "message": "ok"}}],
                  "db": [{"id": 1, "system-id": 7300000000000000001, "version": "15"}],
                  "backup": [{"label": "20250702-085755F", "type": "full", "database": {"id": 1}, "backrest": {"version": "2.45"},
                    "timestamp": {"start": 1751446675, "stop": 1751446680}, "info": {"size": 100, "repository": {"size": 40}},
                    "error": false}]}]
                """).get(0);
        PgBackRestInfo.Backup backup = stanza.backup("20250702-085755F");
        assertThat(stanza.ok()).isTrue();
        assertThat(backup.pgbackrestVersion()).isEqualTo("2.45");
        assertThat(backup.repositorySize()).isEqualTo(40);
        assertThat(stanza.database(backup.databaseId()).systemId()).isEqualTo("7300000000000000001");
    }

    @Test
    void theTemplateRendersPathStyleWithACaFileAndDropsLinesWithoutValues() throws Exception {
        PgBackRestOptions options = PgBackRestOptions.read(new Settings(Map.of("pgbackrest.configFile", "/srv/pgbr/pgbackrest.conf")),
                "migrations/shop", "test");
        ObjectStoreSettings store = ObjectStoreSettings.of(URI.create("https://s3.internal:9000"), "bucket", "AKIA",
                Secret.of("very-secret-key", "test"));
        Map<String, String> values = PgBackRestConfig.values(store, options,
                new PgBackRestConfig.Cluster(Path.of("/var/lib/postgresql/15/main"), 5432, "/var/run/postgresql", "postgres"),
                Path.of("/srv/pgbr/pgbackrest.conf.ca.pem"));
        String text = PgBackRestConfig.render(Files.readString(HOME.resolve(PgBackRestConfig.TEMPLATE)), values);

        assertThat(text).contains("repo1-path=/migrations/shop\n", "repo1-s3-endpoint=s3.internal\n", "repo1-storage-port=9000\n",
                "repo1-s3-uri-style=path\n", "repo1-s3-region=us-east-1\n", "repo1-s3-key-secret=very-secret-key\n",
                "repo1-storage-ca-file=/srv/pgbr/pgbackrest.conf.ca.pem\n", "[db]\n", "pg1-path=/var/lib/postgresql/15/main\n");
        assertThat(text).doesNotContain("${", "repo1-storage-verify-tls");
        assertThat(options.archiveCommand()).isEqualTo("pgbackrest --config=/srv/pgbr/pgbackrest.conf --stanza=db archive-push %p");
    }

    @Test
    void plainHttpIsRefusedBecausePgBackRestSpeaksOnlyHttps() {
        PgBackRestOptions options = PgBackRestOptions.read(new Settings(Map.of()), "", "test");
        ObjectStoreSettings store = ObjectStoreSettings.of(URI.create("http://127.0.0.1:9000"), "bucket", null, null);
        assertThatThrownBy(() -> PgBackRestConfig.values(store, options,
                new PgBackRestConfig.Cluster(Path.of("/data"), null, null, null), null)).hasMessageContaining("HTTPS only");
        assertThat(options.repoPath()).isEqualTo("/");
        assertThat(RepositoryLayout.backupPath("/", "20250702-085755F")).isEqualTo("/backup/db/20250702-085755F");
        assertThat(RepositoryLayout.backupPath("/a/b", "20250702-085755F")).isEqualTo("/a/b/backup/db/20250702-085755F");
    }

    @Test
    void archiveSettingsSayWhatIsMissingAndWhetherARestartIsNeeded() {
        PgBackRestOptions options = PgBackRestOptions.read(new Settings(Map.of()), "", "test");
        ArchiveSettings off = ArchiveSettings.of(Map.of("wal_level", "replica", "archive_mode", "off", "archive_command", ""));
        assertThat(off.ready(options)).isFalse();
        assertThat(off.changeNeedsRestart()).isTrue();
        assertThat(off.changes(options)).containsExactly(Map.entry("archive_mode", "on"),
                Map.entry("archive_command", "pgbackrest --stanza=db archive-push %p"));
        ArchiveSettings commandOnly = ArchiveSettings.of(Map.of("wal_level", "logical", "archive_mode", "on",
                "archive_command", "cp %p /archive/%f"));
        assertThat(commandOnly.changeNeedsRestart()).isFalse();
        assertThat(ArchiveSettings.of(Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", "pgbackrest --stanza=db archive-push %p")).ready(options)).isTrue();
    }
}
