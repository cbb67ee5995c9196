package dev.ferry.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One lease object in a bucket: names its run, host and pid, expires unless renewed; its holder
 * renews it every third of its time to live and deletes it when done. What {@link WriterLease} and
 * {@link ReadLease} have in common.
 */
final class LeaseObject implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What a lease object holds. */
    record Holder(String runId, String host, long pid, Instant since, Instant expires) {
    }

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final Holder mine;
    private final Duration timeToLive;
    private final ScheduledExecutorService renewer;

    private LeaseObject(S3Client client, String bucket, String key, String runId, Duration timeToLive) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.timeToLive = timeToLive;
        Instant now = Instant.now();
        this.mine = new Holder(runId, host(), ProcessHandle.current().pid(), now, now.plus(timeToLive));
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "lease-" + runId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the lease for {@code runId}; it is not renewed until {@link #keepRenewed()}. */
    static LeaseObject write(S3Client client, String bucket, String key, String runId, Duration timeToLive, String step) {
        LeaseObject lease = new LeaseObject(client, bucket, key, runId, timeToLive);
        lease.write(lease.mine, step);
        return lease;
    }

    Holder mine() {
        return mine;
    }

    String key() {
        return key;
    }

    void keepRenewed() {
        long every = timeToLive.toMillis() / 3;
        renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            write(new Holder(mine.runId(), mine.host(), mine.pid(), mine.since(), Instant.now().plus(timeToLive)), "lease");
        } catch (RuntimeException e) {
            // the next renewal tries again; the lease outlives one failed write by two thirds of its life
        }
    }

    private void write(Holder holder, String step) {
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(holder);
            client.putObject(r -> r.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        } catch (IOException e) {
            throw new IllegalStateException("a lease always serialises", e);
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not write the lease s3://" + bucket + "/" + key, e);
        }
    }

    /** The lease stored at {@code key}, live or not; an unreadable one is no lease (no Ferry that could hold it wrote it). */
    static Optional<Holder> read(S3Client client, String bucket, String key, String step) {
        try {
            return Optional.of(JSON.readValue(client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray(), Holder.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not read the lease s3://" + bucket + "/" + key, e);
        }
    }

    /** Stops renewing and leaves the lease to expire, as a run that died would. */
    void stopRenewing() {
        renewer.shutdownNow();
    }

    /** Stops renewing and deletes the lease if it is still this run's. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            Optional<Holder> current = read(client, bucket, key, "lease");
            if (current.isPresent() && current.get().runId().equals(mine.runId())) {
                client.deleteObject(r -> r.bucket(bucket).key(key));
            }
        } catch (RuntimeException e) {
            // it expires by itself
        }
    }

    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
