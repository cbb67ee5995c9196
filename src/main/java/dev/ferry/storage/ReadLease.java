package dev.ferry.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A read lease on one artifact, {@code <artifact folder>/read-lease-<run id>.json}: an import holds
 * it while it reads the artifact, so that retention ({@code backup.keep}, {@code ferry backups
 * prune}) leaves the artifact alone. Many runs may read one artifact, so each writes its own; like
 * the {@link WriterLease} it expires unless renewed, so a run that died holds nothing for long.
 */
public final class ReadLease implements AutoCloseable {

    static final String NAME_PREFIX = "read-lease-";
    public static final Duration TIME_TO_LIVE = WriterLease.TIME_TO_LIVE;

    /** A live read lease: who reads the artifact, until when unless renewed. */
    public record Reader(String runId, String host, long pid, Instant expires) {
        public String describe() {
            return "run " + runId + " on " + host + " (pid " + pid + "), lease valid until " + expires;
        }
    }

    private final LeaseObject lease;

    private ReadLease(LeaseObject lease) {
        this.lease = lease;
    }

    /** Leases {@code folder} for {@code runId}, renewed until closed. */
    public static ReadLease acquire(ArtifactStore store, ArtifactFolder folder, String runId, String step) {
        return acquire(store, folder, runId, TIME_TO_LIVE, step);
    }

    static ReadLease acquire(ArtifactStore store, ArtifactFolder folder, String runId, Duration timeToLive, String step) {
        LeaseObject lease = LeaseObject.write(store.client(), store.settings().bucket(),
                folder.objectKey(NAME_PREFIX + ArtifactLayout.checkRun(runId) + ".json"), runId, timeToLive, step);
        lease.keepRenewed();
        return new ReadLease(lease);
    }

    /** The runs reading {@code folder} now (their leases not expired). */
    public static List<Reader> readers(ArtifactStore store, ArtifactFolder folder, String step) {
        String bucket = store.settings().bucket();
        String prefix = folder.objectKey(NAME_PREFIX);
        List<Reader> readers = new ArrayList<>();
        try {
            for (S3Object object : store.client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
                LeaseObject.read(store.client(), bucket, object.key(), step)
                        .filter(holder -> holder.expires().isAfter(Instant.now()))
                        .ifPresent(holder -> readers.add(new Reader(holder.runId(), holder.host(), holder.pid(), holder.expires())));
            }
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not list the read leases of " + store.uri(folder), e);
        }
        return readers;
    }

    /** Stops renewing and leaves the lease to expire, as a run that died would. */
    void stopRenewing() {
        lease.stopRenewing();
    }

    @Override
    public void close() {
        lease.close();
    }
}
