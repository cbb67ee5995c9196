package dev.ferry.backup;

import dev.ferry.local.PostgresBinaries;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The add-on's PostgreSQL dumps (pg_dumpall --clean --if-exists | gzip) listed beside Ferry's own backups. */
class PostgresAddonDumpsTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 1);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void theAddOnsDumpsAreListedFromS3AndALocalFolderAndBadLocationsAreExitTwo() {
        BackupCommands backups = new BackupCommands(bed, PostgresBackupsTest.EXAMPLE, PostgresBackupsTest.PASSWORD_VARIABLE,
                bed.newTarget(PostgresBinaries.system()), "addon-pg");
        String serverVersion = bed.source().queryValue(MigrationBed.DATABASE, "SHOW server_version").split(" ")[0];
        AddonDumpScenario.listedAndRefused(bed, backups, AddonArchives.pgDumpall(bed.source(), bed.folder().resolve("pg.sql.gz")),
                "postgresql", "pg_dump", serverVersion);
    }
}
