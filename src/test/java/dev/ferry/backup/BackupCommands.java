package dev.ferry.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.runtime.Json;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An example backup migration driven through the real command line against a bed's servers: its
 * source is the bed's, its target {@code target} (a server of its own), its backups under their own
 * storage prefix, so that tests sharing a bed do not see each other's backups.
 */
final class BackupCommands {

    private static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    private final MigrationBed bed;
    private final Path file;
    private final String sourcePasswordVariable;
    private final LocalDatabaseServer target;
    private final String prefix;
    private final Path state;

    BackupCommands(MigrationBed bed, String example, String sourcePasswordVariable, LocalDatabaseServer target, String prefix) {
        this.bed = bed;
        this.file = MigrationBed.HOME.resolve("examples").resolve(example).resolve("migration.camel.yaml");
        this.sourcePasswordVariable = sourcePasswordVariable;
        this.target = target;
        this.prefix = prefix;
        this.state = bed.folder().resolve("state-" + prefix);
    }

    Path file() {
        return file;
    }

    String prefix() {
        return prefix;
    }

    /** {@code ferry <command...> FILE <arguments...>} with the bed's hosts, ports, bucket and this prefix. */
    FerryProcess.Result ferry(List<String> command, String... arguments) {
        return ferry(command, process -> { }, arguments);
    }

    /** As {@link #ferry(List, String...)}, calling {@code whileRunning} once the process has started. */
    FerryProcess.Result ferry(List<String> command, java.util.function.Consumer<Process> whileRunning, String... arguments) {
        List<String> all = new ArrayList<>(command);
        all.add(file.toString());
        all.addAll(List.of(arguments));
        all.addAll(List.of("--set", "source.host=" + bed.source().host(), "--set", "source.port=" + bed.source().port(),
                "--set", "target.host=" + target.host(), "--set", "target.port=" + target.port(),
                "--set", "target.passwordEnv=TARGET_PASSWORD",
                "--set", "storage.endpoint=" + bed.s3().httpEndpoint(), "--set", "storage.bucket=" + MigrationBed.BUCKET,
                "--set", "storage.prefix=" + prefix, "--state-dir", state.toString()));
        return FerryProcess.run(state, Map.of(sourcePasswordVariable, bed.source().password().reveal(),
                "TARGET_PASSWORD", target.password().reveal(), "AWS_ACCESS_KEY_ID", bed.s3().accessKey(),
                "AWS_SECRET_ACCESS_KEY", bed.s3().secretKey().reveal()), all, whileRunning);
    }

    /** "Backup now": {@code ferry run FILE}, which must pass. */
    FerryProcess.Result backupNow(String... arguments) {
        FerryProcess.Result result = ferry(List.of("run"), arguments);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    /** {@code ferry backups list FILE --json}, parsed: newest first. */
    List<JsonNode> list(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--json"));
        all.addAll(List.of(arguments));
        FerryProcess.Result result = ferry(List.of("backups", "list"), all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        try {
            List<JsonNode> backups = new ArrayList<>();
            // the tests' logback-test.xml logs to stdout; Ferry's own logback.xml logs to stderr only
            String json = result.stdout().lines().filter(line -> !LOG_LINE.matcher(line).lookingAt())
                    .collect(java.util.stream.Collectors.joining("\n"));
            Json.MAPPER.readTree(json).forEach(backups::add);
            return backups;
        } catch (IOException e) {
            throw new UncheckedIOException(result.output(), e);
        }
    }

    List<String> completeIds() {
        return list().stream().filter(b -> "complete".equals(b.get("state").asText())).map(b -> b.get("id").asText()).toList();
    }

    /**
     * Three backups with backup.keep 2, a row ({@code customers.name = 'written-between'}) written into the
     * source between the second and the third and deleted after it; returns the third's output.
     */
    FerryProcess.Result threeBackupsKeepingTwoWithARowWrittenBeforeTheThird() {
        backupNow("--set", "backup.keep=2");
        backupNow("--set", "backup.keep=2");
        bed.source().execute(MigrationBed.DATABASE,
                "INSERT INTO customers (name, email, signed_up_at) VALUES ('written-between', NULL, now())");
        try {
            return backupNow("--set", "backup.keep=2");
        } finally {
            bed.source().execute(MigrationBed.DATABASE, "DELETE FROM customers WHERE name = 'written-between'");
        }
    }

    /** One backup, restored into the target while it is still empty; returns the backup's id. */
    String backUpAndRestoreIntoTheEmptyTarget() {
        backupNow();
        String id = completeIds().get(0);
        FerryProcess.Result restored = restore(id);
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        assertThat(restored.stdout()).contains("no safety backup: the target");
        return id;
    }

    /** Restores backup {@code id}, which must pass, and checks the target has the source's customers without that row. */
    FerryProcess.Result restoreWithoutTheRowWrittenBetween(String id) {
        FerryProcess.Result restored = restore(id);
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers WHERE name = 'written-between'"))
                .as("the row written after the older backup is not in it").isEqualTo("0");
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM customers"));
        return restored;
    }

    /** No password nor S3 secret in these outputs, nor in any file under the state folder (journals, reports, restore twins). */
    void assertNoSecretLeaked(FerryProcess.Result... results) {
        List<String> secrets = List.of(bed.source().password().reveal(), target.password().reveal(), bed.s3().secretKey().reveal());
        for (FerryProcess.Result result : results) {
            assertThat(result.output()).doesNotContain(secrets);
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(state)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                assertThat(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(secrets);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FerryProcess.Result restore(String id, String... arguments) {
        List<String> all = new ArrayList<>(List.of(id));
        all.addAll(List.of(arguments));
        return ferry(List.of("backups", "restore"), all.toArray(String[]::new));
    }
}
