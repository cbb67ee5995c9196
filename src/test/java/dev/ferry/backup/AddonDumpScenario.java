package dev.ferry.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The add-on's layout, the same for both engines: one dump the real tools made, in s3proxy and in a
 * local folder beside a truncated copy, a file that is not gzip and one that is not a dump; listed by
 * {@code ferry backups list} alongside a backup of Ferry's own; a bad {@code backup.addonDumps} is exit 2.
 * Then restored from s3proxy into the empty target; a dump cut short, and one whose CRC-32 does not
 * match, fail with the (non-empty) target left as it was.
 */
final class AddonDumpScenario {

    static final String NAME = "2026-12-07_031500_UTC-auto(engine-version).sql.gz";
    static final String TRUNCATED = "2026-12-08_031500_UTC-auto.sql.gz";
    static final String NOT_GZIP = "20261209T031500Z.sql.gz";
    /** Readable past its head, so listed, but its end is cut: its gzip trailer (CRC-32, length) is missing. */
    static final String CUT_SHORT = "2026-12-10_031500_UTC.sql.gz";
    /** Whole, every SQL byte intact, but its CRC-32 (the trailer's first four bytes) does not match them. */
    static final String WRONG_CRC = "2026-12-11_031500_UTC.sql.gz";

    private AddonDumpScenario() {
    }

    static void listed(MigrationBed bed, BackupCommands backups, Path dump, String engine, String tool, String serverVersion) {
        try {
            Path local = bed.folder().resolve("addon-" + backups.prefix());
            Files.createDirectories(local);
            byte[] whole = Files.readAllBytes(dump);
            Files.write(local.resolve(NAME), whole);
            Files.write(local.resolve(TRUNCATED), Arrays.copyOf(whole, 200));
            Files.write(local.resolve(CUT_SHORT), Arrays.copyOf(whole, whole.length - 16));
            byte[] wrongCrc = whole.clone();
            wrongCrc[wrongCrc.length - 8] ^= 0x5a;
            Files.write(local.resolve(WRONG_CRC), wrongCrc);
            Files.writeString(local.resolve(NOT_GZIP), "-- not gzip\n", StandardCharsets.UTF_8);
            Files.writeString(local.resolve("README.txt"), "not a dump\n", StandardCharsets.UTF_8);
            String s3Folder = "addon/" + backups.prefix() + "/";
            bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(s3Folder + NAME), RequestBody.fromBytes(whole));
            backups.backupNow();

            List<JsonNode> fromS3 = backups.list("--set", "backup.addonDumps=s3://" + MigrationBed.BUCKET + "/" + s3Folder);
            assertThat(fromS3).as("Ferry's own backup and the add-on's dump").hasSize(2);
            assertThat(fromS3.stream().filter(b -> b.get("state").asText().equals("complete"))).hasSize(1);
            JsonNode foreign = fromS3.stream().filter(b -> b.get("state").asText().equals("foreign")).findFirst().orElseThrow();
            assertForeign(foreign, whole.length, engine, tool, serverVersion);
            assertThat(foreign.get("uri").asText()).isEqualTo("s3://" + MigrationBed.BUCKET + "/" + s3Folder + NAME);

            List<JsonNode> fromFolder = backups.list("--set", "backup.addonDumps=" + local);
            assertThat(fromFolder).as("README.txt is no dump").hasSize(6);
            assertForeign(byId(fromFolder, NAME), whole.length, engine, tool, serverVersion);
            assertThat(byId(fromFolder, TRUNCATED).get("state").asText()).isEqualTo("damaged");
            assertThat(byId(fromFolder, TRUNCATED).get("note").asText()).contains("not readable gzip");
            assertThat(byId(fromFolder, NOT_GZIP).get("state").asText()).isEqualTo("damaged");
            assertThat(byId(fromFolder, NOT_GZIP).get("time").asText()).isEqualTo("2026-12-09T03:15:00Z");

            FerryProcess.Result table = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + local);
            assertThat(table.exitCode()).as(table.output()).isZero();
            assertThat(table.stdout()).contains(NAME, "foreign", tool, "6 backup(s)");

            FerryProcess.Result relative = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + s3Folder);
            FerryProcess.Result otherBucket = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=s3://elsewhere/" + s3Folder);
            FerryProcess.Result missing = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + local.resolve("gone"));
            FerryProcess.Result typo = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumsp=" + local);
            for (FerryProcess.Result bad : List.of(relative, otherBucket, missing, typo)) {
                assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
            }
            assertThat(relative.stderr()).contains("backup.addonDumps is 'addon/", "neither s3://" + MigrationBed.BUCKET + "/<folder>/ nor an absolute path");
            assertThat(otherBucket.stderr()).contains("must be in the migration's bucket");
            assertThat(missing.stderr()).contains("no such folder on this machine");
            assertThat(typo.stderr()).contains("backup.addonDumsp is not a setting Ferry knows", "did you mean backup.addonDump");
            backups.assertNoSecretLeaked(table, relative);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Restores the listed dump from s3proxy into the empty target ({@code table}'s rows as in the source),
     * then the dump cut short and the one with a wrong CRC-32 over it with clean: true, which must fail
     * and leave the target as it was.
     */
    static void restoredAndACutShortDumpLeavesTheTarget(MigrationBed bed, BackupCommands backups, LocalDatabaseServer target,
                                                          String table, String insertOneRow) {
        String s3Dumps = "backup.addonDumps=s3://" + MigrationBed.BUCKET + "/addon/" + backups.prefix() + "/";
        String local = "backup.addonDumps=" + bed.folder().resolve("addon-" + backups.prefix());
        String count = "SELECT count(*) FROM " + table;
        String sourceRows = bed.source().queryValue(MigrationBed.DATABASE, count);

        FerryProcess.Result restored = backups.ferry(List.of("backups", "restore"), NAME, "--set", s3Dumps);

        assertThat(restored.exitCode()).as(restored.output()).isZero();
        assertThat(restored.stdout()).contains("-addon-restore", "verify-addon-dump", "as the dump's head says",
                "no source figures", "SQL client exited 0 with no error line", "which then replaced ");
        assertThat(target.queryValue(MigrationBed.DATABASE, count)).as("the source's rows, from the add-on's dump").isEqualTo(sourceRows);

        target.execute(MigrationBed.DATABASE, insertOneRow);
        String before = target.queryValue(MigrationBed.DATABASE, count);
        FerryProcess.Result cutShort = backups.ferry(List.of("backups", "restore"), CUT_SHORT, "--set", local, "--set", "clean=true");

        assertThat(cutShort.exitCode()).as(cutShort.output()).isEqualTo(1);
        assertThat(cutShort.output()).contains("is damaged", "gunzip failed", "was not touched");
        assertThat(target.queryValue(MigrationBed.DATABASE, count)).as("the target as it was, with the row only it holds")
                .isEqualTo(before).isNotEqualTo(sourceRows);

        FerryProcess.Result wrongCrc = backups.ferry(List.of("backups", "restore"), WRONG_CRC, "--set", local, "--set", "clean=true");

        assertThat(wrongCrc.exitCode()).as(wrongCrc.output()).isEqualTo(1);
        assertThat(wrongCrc.output()).contains("is damaged", "gunzip failed", "was not touched");
        assertThat(target.queryValue(MigrationBed.DATABASE, count)).as("every SQL byte was good, yet nothing replaced the target")
                .isEqualTo(before);
        backups.assertNoSecretLeaked(restored, cutShort, wrongCrc);
    }

    private static void assertForeign(JsonNode foreign, long bytes, String engine, String tool, String serverVersion) {
        assertThat(foreign.get("id").asText()).isEqualTo(NAME);
        assertThat(foreign.get("state").asText()).isEqualTo("foreign");
        assertThat(foreign.get("time").asText()).as("the add-on's %F_%H%M%S_%Z").isEqualTo("2026-12-07T03:15:00Z");
        assertThat(foreign.get("bytes").asLong()).isEqualTo(bytes);
        assertThat(foreign.get("engine").asText()).isEqualTo(engine);
        assertThat(foreign.get("tool").asText()).isEqualTo(tool);
        assertThat(foreign.get("serverVersion").asText()).as("from the dump's head").isEqualTo(serverVersion);
    }

    private static JsonNode byId(List<JsonNode> backups, String id) {
        return backups.stream().filter(b -> b.get("id").asText().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not listed: " + backups));
    }
}
