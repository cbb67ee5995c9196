package dev.ferry.faults;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB's restore client applies statements as it reads, so its imports are not staged: the
 * target database carries the mark {@code ferry run <id> importing} until complete. Ferry SIGKILLed
 * mid-import takes the client along, and the resume recognises the half-imported target as its own,
 * recreates it and completes, where it used to refuse it as "not empty".
 */
class MariaDbImportCrashFaultTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(10);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    static Optional<ProcessHandle> awaitClient(ProcessHandle parent, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> found = parent.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/mariadb") || c.endsWith("/mysql")).orElse(false))
                    .filter(p -> p.info().arguments().map(a -> !List.of(a).contains("--version")).orElse(false)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(5);
        }
        return Optional.empty();
    }

    static java.util.Set<Path> optionFiles() throws java.io.IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("ferry-mysql-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void ferryKilledMidImportResumesIntoItsOwnHalfImportedTarget() throws Exception {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("storage.prefix", "mariadb-crash");
        parameters.put("import.verifyFirstMb", "0");
        Path file = bed.migration("mariadb-killed", "mysql-logical", parameters, null);
        Path state = bed.stateDirectory("mariadb-killed");
        ProcessHandle[] client = new ProcessHandle[1];
        java.util.Set<Path> optionFilesBefore = optionFiles();

        FerryProcess.Result killed = FerryProcess.run(bed.folder().resolve("mariadb-killed-out"), Map.of(),
                List.of("run", file.toString(), "--state-dir", state.toString()), ferry -> {
                    try {
                        client[0] = awaitClient(ferry.toHandle(), Duration.ofSeconds(120)).orElseThrow();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    ferry.destroyForcibly();
                });

        assertThat(killed.exitCode()).isEqualTo(137);
        Instant deadline = Instant.now().plusSeconds(10);
        while (client[0].isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(client[0].isAlive()).as("the restore client died with Ferry").isFalse();
        // known gap: a SIGKILLed Ferry cannot delete the 0600 option file of the client it ran (its
        // shutdown hook does not run); removed here so later tests of leftovers see only their own
        for (Path leftover : optionFiles()) {
            if (!optionFilesBefore.contains(leftover)) {
                try (Stream<Path> inside = Files.list(leftover)) {
                    for (Path optionFile : inside.toList()) {
                        Files.delete(optionFile);
                    }
                }
                Files.delete(leftover);
            }
        }
        String runId;
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            runId = runs.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
        assertThat(target.queryValue("information_schema", "SELECT schema_comment FROM information_schema.schemata"
                + " WHERE schema_name = 'shop'")).isEqualTo("ferry run " + runId + " importing");

        RunReport resumed = bed.resume(runId, state);

        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        StepRecord importStep = resumed.steps().stream().filter(s -> s.id.equals("import")).findFirst().orElseThrow();
        assertThat(importStep.notes).anyMatch(n -> n.contains("half-imported by an earlier attempt of this run"));
        for (String table : List.of("customers", "orders", "order_items")) {
            assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table))
                    .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table));
        }
        assertThat(target.queryValue("information_schema", "SELECT schema_comment FROM information_schema.schemata"
                + " WHERE schema_name = 'shop'")).isEqualTo("ferry run " + runId);
    }
}
