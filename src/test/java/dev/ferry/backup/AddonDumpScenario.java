package dev.ferry.backup;

import com.fasterxml.jackson.databind.JsonNode;
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
 * {@code ferry backups list} alongside a backup of Ferry's own; refused by {@code ferry backups restore};
 * a bad {@code backup.addonDumps} is exit 2.
 */
final class AddonDumpScenario {

    static final String NAME = "2026-12-07_031500_UTC-auto(engine-version).sql.gz";
    static final String TRUNCATED = "2026-12-08_031500_UTC-auto.sql.gz";
    static final String NOT_GZIP = "20261209T031500Z.sql.gz";

    private AddonDumpScenario() {
    }

    static void listedAndRefused(MigrationBed bed, BackupCommands backups, Path dump, String engine, String tool, String serverVersion) {
        try {
            Path local = bed.folder().resolve("addon-" + backups.prefix());
            Files.createDirectories(local);
            byte[] whole = Files.readAllBytes(dump);
            Files.write(local.resolve(NAME), whole);
            Files.write(local.resolve(TRUNCATED), Arrays.copyOf(whole, 200));
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
            assertThat(fromFolder).as("README.txt is no dump").hasSize(4);
            assertForeign(byId(fromFolder, NAME), whole.length, engine, tool, serverVersion);
            assertThat(byId(fromFolder, TRUNCATED).get("state").asText()).isEqualTo("damaged");
            assertThat(byId(fromFolder, TRUNCATED).get("note").asText()).contains("not readable gzip");
            assertThat(byId(fromFolder, NOT_GZIP).get("state").asText()).isEqualTo("damaged");
            assertThat(byId(fromFolder, NOT_GZIP).get("time").asText()).isEqualTo("2026-12-09T03:15:00Z");

            FerryProcess.Result table = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + local);
            assertThat(table.exitCode()).as(table.output()).isZero();
            assertThat(table.stdout()).contains(NAME, "foreign", tool, "4 backup(s)");

            FerryProcess.Result restore = backups.ferry(List.of("backups", "restore"), NAME, "--set", "backup.addonDumps=" + local);
            assertThat(restore.exitCode()).as(restore.output()).isEqualTo(2);
            assertThat(restore.stderr()).contains("is the add-on's dump, which this Ferry lists but does not restore");

            FerryProcess.Result relative = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + s3Folder);
            FerryProcess.Result otherBucket = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=s3://elsewhere/" + s3Folder);
            FerryProcess.Result missing = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDumps=" + local.resolve("gone"));
            FerryProcess.Result typo = backups.ferry(List.of("backups", "list"), "--set", "backup.addonDump=" + local);
            for (FerryProcess.Result bad : List.of(relative, otherBucket, missing, typo)) {
                assertThat(bad.exitCode()).as(bad.output()).isEqualTo(2);
            }
            assertThat(relative.stderr()).contains("backup.addonDumps is 'addon/", "neither s3://" + MigrationBed.BUCKET + "/<folder>/ nor an absolute path");
            assertThat(otherBucket.stderr()).contains("must be in the migration's bucket");
            assertThat(missing.stderr()).contains("no such folder on this machine");
            assertThat(typo.stderr()).contains("backup.addonDump is not a setting Ferry knows", "did you mean backup.addonDumps");
            backups.assertNoSecretLeaked(table, restore, relative);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
