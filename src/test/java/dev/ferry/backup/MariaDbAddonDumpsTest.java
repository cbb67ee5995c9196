package dev.ferry.backup;

import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The add-on's MariaDB dumps (mariadb-dump --all-databases | gzip) listed beside Ferry's own backups. */
class MariaDbAddonDumpsTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(1);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void theAddOnsDumpsAreListedFromS3AndALocalFolderAndBadLocationsAreExitTwo() {
        BackupCommands backups = new BackupCommands(bed, MariaDbBackupsTest.EXAMPLE, MariaDbBackupsTest.PASSWORD_VARIABLE,
                bed.newMariaDbTarget(), "addon-maria");
        String serverVersion = bed.source().queryValue(MigrationBed.DATABASE, "SELECT VERSION()");
        AddonDumpScenario.listedAndRefused(bed, backups, AddonArchives.mariadbDump(bed.source(), bed.folder().resolve("maria.sql.gz")),
                "mariadb", "mariadb-dump", serverVersion);
    }
}
