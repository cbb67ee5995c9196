package dev.ferry.everest.importer;

import dev.ferry.testing.SilentServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Kubernetes API server that accepts connections and never answers holds the importer up for a bounded time only. */
class JobProgressTest {

    static SilentServer silent;
    static String kubeconfigBefore;

    @BeforeAll
    static void startSilentApiServer(@TempDir Path folder) throws IOException {
        silent = new SilentServer();
        Path kubeconfig = folder.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: silent
                    cluster: {server: "http://127.0.0.1:%d"}
                contexts:
                  - name: silent
                    context: {cluster: silent, user: tester}
                current-context: silent
                users:
                  - name: tester
                    user: {token: test-token}
                """.formatted(silent.port()));
        kubeconfigBefore = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", kubeconfig.toString());
    }

    @AfterAll
    static void stop() throws IOException {
        if (kubeconfigBefore == null) {
            System.clearProperty("kubeconfig");
        } else {
            System.setProperty("kubeconfig", kubeconfigBefore);
        }
        silent.close();
    }

    static ImportRequest.Target target() {
        return new ImportRequest.Target("shop-db", "everest", "postgresql", "shop-db-rw", 5432, "postgres", null);
    }

    @Test
    void findingTheJobOnAnApiThatNeverAnswersEndsWithinItsDeadline() {
        List<String> log = new ArrayList<>();
        long start = System.nanoTime();
        try (JobProgress progress = JobProgress.find(target(), Map.of(), log::add)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(JobProgress.FIND_DEADLINE_SECONDS + 2));
            assertThat(log).anyMatch(line -> line.contains("progress goes to this log only"));
            assertThat(silent.connections()).as("it did try the API server").isPositive();
        }
    }

    @Test
    void annotatingOnAnApiThatNeverAnswersStopsAfterOneDeadline() {
        List<String> log = new ArrayList<>();
        try (JobProgress progress = JobProgress.find(target(), Map.of("FERRY_DATA_IMPORT_JOB", "data-import-shop-db"), log::add)) {
            long start = System.nanoTime();
            progress.report("restore database.sql: 10%", true);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(JobProgress.ANNOTATE_DEADLINE_SECONDS + 2));
            assertThat(log).anyMatch(line -> line.contains("annotations stopped"));

            long again = System.nanoTime();
            progress.report("restore database.sql: 20%", true);
            assertThat(Duration.ofNanos(System.nanoTime() - again)).isLessThan(Duration.ofMillis(500));
            assertThat(log).contains("restore database.sql: 20%");
        }
    }
}
