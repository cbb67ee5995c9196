package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A PostgreSQL 17 source with this machine's pg_dump 15: refused before any dump starts. */
class NewerSourceTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.bundled(17), 1);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void aDumpToolOlderThanTheSourceServerIsRefusedInPreflight() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.bundled(17));
        Path file = bed.migration("newer-source", "postgres-logical", bed.settings(target), null);

        RunReport report = bed.run(file, bed.stateDirectory("newer-source"), java.util.Map.of(), null, null);

        StepRecord preflight = report.steps().stream().filter(s -> s.id.equals("preflight")).findFirst().orElseThrow();
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("VERSION_MISMATCH");
        assertThat(preflight.error.what()).contains("dump tool is older than the source server");
        assertThat(preflight.error.why()).contains("postgresql 17.", "15.");
        assertThat(preflight.error.next()).contains("major version 17 or newer");
        assertThat(report.steps().stream().filter(s -> s.id.equals("dump")).findFirst().orElseThrow().status)
                .isEqualTo(StepRecord.Status.PENDING);
        assertThat(bed.artifacts().list("tests", MigrationBed.DATABASE)).isEmpty();
    }
}
