package dev.ferry.pipeline;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS to a real MariaDB that requires it: verify-full against the right CA carries the whole
 * migration (JDBC probes and mariadb-dump alike); a wrong CA, or no TLS, stops the run in preflight.
 */
class MySqlTlsTest {

    static MigrationBed bed;
    static TestCertificates certificates;
    static TestCertificates otherAuthority;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.startMariaDb(1);
        certificates = TestCertificates.generate(bed.folder().resolve("tls"), "mariadb");
        otherAuthority = TestCertificates.generate(bed.folder().resolve("tls"), "other");
        ((LocalMariaDb) bed.source()).enableTls(certificates.serverCertificate(), certificates.serverKey());
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private RunReport migrate(String name, String sslMode, Path caCertificate) {
        LocalMariaDb target = bed.newMariaDbTarget();
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("source.sslMode", sslMode);
        if (caCertificate != null) {
            parameters.put("source.sslCa", caCertificate.toString());
        }
        return bed.run(bed.migration(name, "mysql-logical", parameters, null), bed.stateDirectory(name), Map.of(), null, null);
    }

    private static StepRecord preflight(RunReport report) {
        return report.steps().stream().filter(s -> s.id.equals("preflight")).findFirst().orElseThrow();
    }

    @Test
    void verifyFullWithTheRightAuthorityMigratesEverything() {
        RunReport report = migrate("mysql-tls-ok", "verify-full", certificates.caCertificate());
        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
    }

    @Test
    void aCertificateFromAnotherAuthorityStopsTheRunInPreflight() {
        RunReport report = migrate("mysql-tls-wrong-ca", "verify-full", otherAuthority.caCertificate());
        assertThat(preflight(report).status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight(report).error.code()).isEqualTo("CONNECTION");
        assertThat(preflight(report).error.why() + preflight(report).error.next()).containsIgnoringCase("certificate");
        assertThat(report.steps().stream().filter(s -> s.id.equals("dump")).findFirst().orElseThrow().status)
                .isEqualTo(StepRecord.Status.PENDING);
    }

    @Test
    void withoutTlsTheServerRefusesAndTheRunStops() {
        RunReport report = migrate("mysql-tls-off", "disable", null);
        assertThat(preflight(report).status).isEqualTo(StepRecord.Status.FAILED);
    }
}
