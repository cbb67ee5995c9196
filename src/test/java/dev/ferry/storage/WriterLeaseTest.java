package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer lease on a real S3 server (s3proxy): renewed while its run goes on, refusing another run meanwhile. */
class WriterLeaseTest {

    @Test
    void aLeaseIsRenewedWhileItsRunGoesOnAndAnotherRunIsRefusedMeanwhile() throws InterruptedException {
        String bucket = SharedLocalS3.newBucket();
        ObjectStoreSettings settings = SharedLocalS3.server().httpSettings(bucket).withPrefix("lease");
        Duration timeToLive = Duration.ofSeconds(3);

        try (WriterLease lease = WriterLease.acquire(SharedLocalS3.client(), settings, "shop", "run-a", timeToLive, "upload")) {
            Instant firstExpiry = WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-b", "t").orElseThrow().expires();
            // past the first expiry: only renewals (every third of the time to live) keep it live
            Thread.sleep(timeToLive.toMillis() + 1500);

            WriterLease.Holder held = WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-b", "t").orElseThrow();
            assertThat(held.runId()).isEqualTo("run-a");
            assertThat(held.expires()).isAfter(firstExpiry).isAfter(Instant.now());
            assertThatThrownBy(() -> WriterLease.acquire(SharedLocalS3.client(), settings, "shop", "run-b", timeToLive, "preflight"))
                    .isInstanceOfSatisfying(FerryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RUN_LOCKED);
                        assertThat(e.getMessage()).contains("run run-a on", "lease valid until");
                    });
        }

        assertThat(WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-b", "t")).as("deleted at the end").isEmpty();
        try (WriterLease next = WriterLease.acquire(SharedLocalS3.client(), settings, "shop", "run-b", timeToLive, "upload")) {
            assertThat(WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-c", "t").orElseThrow().runId())
                    .isEqualTo("run-b");
        }
    }

    @Test
    void aLeaseNotRenewedExpiresAndIsTakenOver() throws InterruptedException {
        String bucket = SharedLocalS3.newBucket();
        ObjectStoreSettings settings = SharedLocalS3.server().httpSettings(bucket).withPrefix("lease");
        WriterLease dead = WriterLease.acquire(SharedLocalS3.client(), settings, "shop", "run-dead", Duration.ofSeconds(2), "upload");
        // a run that died renews nothing more (its object stays, it is not closed)
        dead.stopRenewing();
        Thread.sleep(2500);

        assertThat(WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-new", "t")).isEmpty();
        try (WriterLease taken = WriterLease.acquire(SharedLocalS3.client(), settings, "shop", "run-new", Duration.ofSeconds(3), "upload")) {
            assertThat(WriterLease.heldByOther(SharedLocalS3.client(), settings, "shop", "run-dead", "t").orElseThrow().runId())
                    .isEqualTo("run-new");
        }
    }
}
