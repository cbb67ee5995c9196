package dev.ferry.pipeline;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
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
 * TLS to a real PostgreSQL that requires it, with a generated certificate: verify-full against the
 * right CA carries the whole migration (so JDBC probes and pg_dump alike used TLS), with the
 * artifact going over HTTPS to S3 verified against its CA bundle; a wrong CA stops the run in preflight.
 */
class TlsTest {

    static MigrationBed bed;
    static TestCertificates certificates;
    static TestCertificates otherAuthority;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 1);
        certificates = TestCertificates.generate(bed.folder().resolve("tls"), "source");
        otherAuthority = TestCertificates.generate(bed.folder().resolve("tls"), "other");
        ((LocalPostgres) bed.source()).enableTls(certificates.serverCertificate(), certificates.serverKey());
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    private RunReport migrate(String name, String sslmode, Path caCertificate) {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.put("source.sslmode", sslmode);
        if (caCertificate != null) {
            parameters.put("source.sslrootcert", caCertificate.toString());
        }
        parameters.put("storage.endpoint", bed.s3().httpsEndpoint().toString());
        parameters.put("storage.caBundle", bed.s3().caCertificatePem().toString());
        return bed.run(bed.migration(name, "postgres-logical", parameters, null), bed.stateDirectory(name), Map.of(), null, null);
    }

    @Test
    void verifyFullWithTheRightAuthorityMigratesEverything() {
        RunReport report = migrate("tls-ok", "verify-full", certificates.caCertificate());

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
    }

    @Test
    void theSourceRefusesConnectionsWithoutTls() {
        RunReport report = migrate("tls-off", "disable", null);

        StepRecord preflight = report.steps().stream().filter(s -> s.id.equals("preflight")).findFirst().orElseThrow();
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.why()).contains("no encryption");
    }

    @Test
    void aCertificateFromAnotherAuthorityStopsTheRunInPreflight() {
        RunReport report = migrate("tls-wrong-ca", "verify-full", otherAuthority.caCertificate());

        StepRecord preflight = report.steps().stream().filter(s -> s.id.equals("preflight")).findFirst().orElseThrow();
        assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(preflight.error.code()).isEqualTo("CONNECTION");
        assertThat(preflight.error.why()).containsIgnoringCase("certificate");
        assertThat(preflight.error.next()).contains("sslrootcert");
    }
}
