package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.JujuStandIn;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres-logical pipeline on real servers with the source's credentials and host from Juju:
 * the stand-in juju client answers get-password with the source server's real password and
 * juju status with the leader at 127.0.0.1.
 */
class JujuSourcePipelineTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 2);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void migratesWithTheSourcesPasswordAndHostFromJuju() throws IOException {
        String password = bed.source().password().reveal();
        JujuStandIn juju = JujuStandIn.in(bed.folder().resolve("juju"))
                .actionPassword("postgresql/0", password).status("postgresql", "127.0.0.1");
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.remove("source.host");
        parameters.remove("source.user");
        parameters.remove("source.passwordFile");
        parameters.put("source.credentials", "juju");
        parameters.put("source.juju.application", "postgresql");
        parameters.put("source.juju.model", "shop-model");
        parameters.put("source.juju.controller", "test-controller");
        parameters.put("source.juju.username", bed.source().superuser());
        parameters.put("source.juju.binary", juju.binary().toString());
        Path file = bed.migration("from-juju", "postgres-logical", parameters, null);

        RunReport report = bed.run(file, bed.stateDirectory("from-juju"), Map.of(), null, null);

        assertThat(report.status()).as(report.toString()).isEqualTo(RunReport.PASSED);
        assertThat(report.steps()).allMatch(s -> s.status == StepRecord.Status.PASSED);
        StepRecord credentials = report.steps().stream().filter(s -> s.id.equals("collect-credentials")).findFirst().orElseThrow();
        assertThat(credentials.notes).anySatisfy(note -> assertThat(note).contains("127.0.0.1:" + bed.source().port(),
                "password from juju:action get-password username=postgres on postgresql/0 (model test-controller:shop-model)"));
        assertThat(target.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"))
                .isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
        assertThat(juju.calls()).containsExactly(
                "run postgresql/leader get-password username=postgres --format=json -m test-controller:shop-model",
                "status postgresql --format=json -m test-controller:shop-model");

        Path journal = Path.of(report.journal());
        for (Path written : new Path[] {journal, journal.resolveSibling("report.json")}) {
            String text = Files.readString(written);
            assertThat(text).as(written.toString()).contains("juju:action get-password").doesNotContain(password);
        }
    }
}
