package dev.ferry.storage;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Read leases on a real S3 server (s3proxy): one per reading run, renewed while it reads, gone when it ends or dies. */
class ReadLeaseTest {

    @Test
    void eachReaderHoldsItsOwnLeaseRenewedUntilClosedAndADeadOnesExpires() throws InterruptedException {
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(SharedLocalS3.client(), SharedLocalS3.server().httpSettings(bucket).withPrefix("leases"));
        ArtifactFolder folder = store.newFolder("shop", Instant.parse("2026-12-07T03:15:00Z"), "run-backup");
        Duration timeToLive = Duration.ofSeconds(3);
        // long enough to be seen live below on a busy machine; then it must expire, not renewed
        Duration deadTimeToLive = Duration.ofSeconds(10);

        Instant deadSince = Instant.now();
        ReadLease dead = ReadLease.acquire(store, folder, "run-dead", deadTimeToLive, "import");
        dead.stopRenewing();
        try (ReadLease reading = ReadLease.acquire(store, folder, "run-reading", timeToLive, "import")) {
            assertThat(ReadLease.readers(store, folder, "t")).extracting(ReadLease.Reader::runId)
                    .containsExactlyInAnyOrder("run-dead", "run-reading");
            // past the dead lease's expiry, and many times past the reading one's: only renewals keep a lease live
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), deadSince.plus(deadTimeToLive)).toMillis()) + 1500);

            assertThat(ReadLease.readers(store, folder, "t")).singleElement().satisfies(reader -> {
                assertThat(reader.runId()).isEqualTo("run-reading");
                assertThat(reader.expires()).isAfter(Instant.now());
                assertThat(reader.describe()).contains("run run-reading on", "lease valid until");
            });
        }

        assertThat(ReadLease.readers(store, folder, "t")).as("closed: deleted; dead: expired").isEmpty();
        assertThat(store.list("shop")).as("the dead run's expired lease object stays until retention deletes the folder")
                .singleElement().satisfies(artifact -> assertThat(artifact.complete()).isFalse());
    }
}
