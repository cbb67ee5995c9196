package dev.ferry.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The MariaDB backup example (examples/mariadb-scheduled-backup) through the real command line, on real servers. */
class MariaDbBackupsTest {

    static final String EXAMPLE = "mariadb-scheduled-backup";
    static final String PASSWORD_VARIABLE = "MYSQL_PASSWORD_SHOP";

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
    void threeBackupsWithKeepTwoLeaveTwoAndRestoringTheOlderLeavesOutTheRowWrittenBetween() {
        LocalMariaDb target = bed.newMariaDbTarget();
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "keep-two");

        FerryProcess.Result third = backups.threeBackupsKeepingTwoWithARowWrittenBeforeTheThird();

        assertThat(third.stdout()).contains("pipeline mysql-backup", "every size and SHA-256 matches manifest.json", "PASSED");
        List<JsonNode> listed = backups.list();
        assertThat(listed).hasSize(2).allSatisfy(b -> {
            assertThat(b.get("state").asText()).isEqualTo("complete");
            assertThat(b.get("engine").asText()).isEqualTo("mariadb");
            assertThat(b.get("tool").asText()).isEqualTo("mariadb-dump");
        });
        String older = listed.get(1).get("id").asText();

        FerryProcess.Result restored = backups.restoreWithoutTheRowWrittenBetween(older);

        assertThat(restored.stdout()).contains("pipeline mysql-backup-restore", "smoke-test", "PASSED");

        FerryProcess.Result newer = backups.restore(listed.get(0).get("id").asText());
        assertThat(newer.exitCode()).as(newer.output()).isZero();
        assertThat(newer.stdout()).contains("taken and checked");
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers WHERE name = 'written-between'"))
                .isEqualTo("1");
        JsonNode safety = backups.list().get(0);
        assertThat(safety.get("note").asText()).contains("safety backup of", "taken before restoring " + listed.get(0).get("id").asText());

        backups.restoreWithoutTheRowWrittenBetween(safety.get("id").asText());
    }

    @Test
    void theScheduleFiresTheExample() {
        LocalMariaDb target = bed.newMariaDbTarget();
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE, target, "scheduled");

        FerryProcess.Result result = backups.ferry(List.of("schedule"), "--cron", "0/4 * * * * ?", "--runs", "2");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("schedule: shop-mariadb-backup at '0/4 * * * * ?' (UTC, Quartz)",
                "schedule: shop-mariadb-backup starts (start 2)");
        assertThat(result.stdout().split("passed \\(exit 0\\)", -1)).as(result.stdout()).hasSize(3);
        assertThat(backups.completeIds()).hasSize(2);
    }

    @Test
    void theAddOnsDumpsAreListedAndRestoredAndADumpCutShortLeavesTheTargetAsItWas() {
        LocalMariaDb target = bed.newMariaDbTarget();
        BackupCommands backups = new BackupCommands(bed, EXAMPLE, PASSWORD_VARIABLE,
                target, "addon-maria");
        String serverVersion = bed.source().queryValue(MigrationBed.DATABASE, "SELECT VERSION()");
        AddonDumpScenario.listed(bed, backups, AddonArchives.mariadbDump(bed.source(), bed.folder().resolve("maria.sql.gz")),
                "mariadb", "mariadb-dump", serverVersion);

        AddonDumpScenario.restoredAndACutShortDumpLeavesTheTarget(bed, backups, target, "customers",
                "INSERT INTO customers (name, email, signed_up_at) VALUES ('only-in-target', NULL, now())");
    }
}
