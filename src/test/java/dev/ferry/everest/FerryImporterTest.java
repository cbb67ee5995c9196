package dev.ferry.everest;

import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.RunReport;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ferry importer} run by hand the way Everest runs it (one argument: the request file), outside
 * any cluster: into a MariaDB, and stopped with SIGTERM in the middle of a PostgreSQL restore.
 */
class FerryImporterTest {

    /** Everest's request as its operator writes it: port as a string, user under {@code user}, S3 keys {@code accessKeyID}/{@code secretKey}. */
    private static Path request(MigrationBed bed, RunReport uploaded, LocalDatabaseServer target, String type) throws IOException {
        ObjectNode request = Json.MAPPER.createObjectNode();
        ObjectNode source = request.putObject("source");
        source.put("path", uploaded.artifact().replace("s3://" + MigrationBed.BUCKET + "/", ""));
        ObjectNode s3 = source.putObject("s3");
        s3.put("bucket", MigrationBed.BUCKET);
        s3.put("region", "us-east-1");
        s3.put("endpointURL", bed.s3().httpEndpoint().toString());
        s3.put("forcePathStyle", true);
        s3.put("accessKeyID", bed.s3().accessKey());
        s3.put("secretKey", bed.s3().secretKey().reveal());
        ObjectNode targetNode = request.putObject("target");
        targetNode.putObject("databaseClusterRef").put("name", "shop").put("namespace", "everest");
        targetNode.put("type", type);
        targetNode.put("host", target.host());
        targetNode.put("port", Integer.toString(target.port()));
        targetNode.put("user", target.superuser());
        targetNode.put("password", target.password().reveal());
        Path file = Files.createDirectories(bed.folder().resolve("payload-" + type)).resolve("request.json");
        Files.writeString(file, request.toString());
        return file;
    }

    private static RunReport upload(MigrationBed bed, String pipeline, LocalDatabaseServer target) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(bed.settings(target));
        Path file = bed.migration("importer-" + pipeline, pipeline, settings, null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("importer-" + pipeline), Map.of(), null, "upload");
        assertThat(uploaded.status()).as(String.valueOf(uploaded.error())).isEqualTo(RunReport.PARTIAL);
        return uploaded;
    }

    @Test
    void restoresAMySqlArtifactIntoMariaDbAndComparesWithTheSourceFigures() throws IOException {
        try (MigrationBed bed = MigrationBed.startMariaDb(2)) {
            LocalMariaDb target = bed.newMariaDbTarget();
            Path request = request(bed, upload(bed, "mysql-logical", target), target, "pxc");

            FerryProcess.Result result = FerryProcess.run(request.getParent(), Map.of(), List.of("importer", request.toString()));

            assertThat(result.exitCode()).as(result.output()).isZero();
            String[] lines = result.output().strip().split("\n");
            assertThat(lines[lines.length - 1]).startsWith("ferry importer: done");
            assertThat(result.output()).contains("all equal").doesNotContain(target.password().reveal())
                    .doesNotContain(bed.s3().secretKey().reveal());
            String count = "SELECT count(*) FROM order_items";
            assertThat(target.queryValue(MigrationBed.DATABASE, count)).isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, count));
        }
    }

    @Test
    void sigtermKillsTheRestoreRollsItBackAndEndsWith143() throws IOException {
        try (MigrationBed bed = MigrationBed.start(PostgresBinaries.system(), 60)) {
            LocalPostgres target = bed.newTarget(PostgresBinaries.system());
            Path request = request(bed, upload(bed, "postgres-logical", target), target, "postgresql");

            FerryProcess.Result result = FerryProcess.run(request.getParent(), Map.of(), List.of("importer", request.toString()),
                    importer -> {
                        awaitChild(importer, "pg_restore", Duration.ofSeconds(60));
                        importer.destroy();
                    });

            assertThat(result.exitCode()).as(result.output()).isEqualTo(143);
            String[] lines = result.output().strip().split("\n");
            assertThat(lines[lines.length - 1]).contains("ferry importer: FAILED: stopped by SIGTERM");
            assertThat(ProcessHandle.allProcesses().map(p -> p.info().command().orElse("")))
                    .noneMatch(command -> command.endsWith("pg_restore"));
            assertThat(target.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop'")).isIn("0", "1");
            if (target.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop'").equals("1")) {
                assertThat(target.queryValue(MigrationBed.DATABASE,
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).as("the transaction was rolled back").isEqualTo("0");
            }
        }
    }

    private static void awaitChild(Process importer, String program, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && importer.isAlive()) {
            if (importer.descendants().anyMatch(child -> child.info().command().orElse("").endsWith(program))) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError(program + " never started under the importer");
    }
}
