package dev.ferry.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
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
 * The writer lease of one database's artifacts, {@code <prefix>/<database>/writer-lease.json}: the
 * object-store half of "one run per migration", for runs on different machines (the state folder's
 * lock covers one machine). A lease names its run, host and pid and expires unless renewed; the
 * holder renews it every third of its time to live and deletes it when the run ends. S3-compatible
 * servers such as s3proxy have no conditional write, so taking a lease is read, write, wait, read
 * back: two runs that start within that wait of each other may both write, and the one whose lease
 * is read back loses to the other's; the window accepted is the time between the first read and the
 * last write of the other run (well under a second on a LAN). Distinct from the read leases that
 * imports hold inside each artifact folder.
 */
public final class WriterLease implements AutoCloseable {

    public static final String NAME = "writer-lease.json";
    public static final Duration TIME_TO_LIVE = Duration.ofMinutes(2);
    private static final Duration SETTLE = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** What a lease object holds. */
    public record Holder(String runId, String host, long pid, Instant since, Instant expires) {
        public String describe() {
            return "run " + runId + " on " + host + " (pid " + pid + ") since " + since + ", lease valid until " + expires;
        }
    }

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final Holder mine;
    private final ScheduledExecutorService renewer;
    private final Duration timeToLive;

    private WriterLease(S3Client client, String bucket, String key, Holder mine, Duration timeToLive) {
        this.timeToLive = timeToLive;
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.mine = mine;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "writer-lease-" + mine.runId());
            thread.setDaemon(true);
            return thread;
        });
    }

    public static String key(String prefix, String database) {
        return ArtifactLayout.databaseFolder(prefix, database) + NAME;
    }

    /** The live lease of another run on this database's artifacts, if any; reads only. */
    public static Optional<Holder> heldByOther(S3Client client, ObjectStoreSettings settings, String database, String runId,
                                               String step) {
        return read(client, settings.bucket(), key(settings.prefix(), database), step)
                .filter(holder -> !holder.runId().equals(runId) && holder.expires().isAfter(Instant.now()));
    }

    /** Takes the lease for {@code runId}, refusing (exit 2) while another run's lease is live; renewed until closed. */
    public static WriterLease acquire(S3Client client, ObjectStoreSettings settings, String database, String runId, String step) {
        return acquire(client, settings, database, runId, TIME_TO_LIVE, step);
    }

    /** As {@link #acquire(S3Client, ObjectStoreSettings, String, String, String)}, valid {@code timeToLive} unless renewed. */
    static WriterLease acquire(S3Client client, ObjectStoreSettings settings, String database, String runId, Duration timeToLive,
                               String step) {
        String key = key(settings.prefix(), database);
        Optional<Holder> other = heldByOther(client, settings, database, runId, step);
        if (other.isPresent()) {
            throw refused(settings, database, other.get(), step);
        }
        Instant now = Instant.now();
        Holder mine = new Holder(runId, host(), ProcessHandle.current().pid(), now, now.plus(timeToLive));
        WriterLease lease = new WriterLease(client, settings.bucket(), key, mine, timeToLive);
        lease.write(mine, step);
        sleep(SETTLE);
        Optional<Holder> readBack = read(client, settings.bucket(), key, step);
        if (readBack.isPresent() && !readBack.get().runId().equals(runId)) {
            throw refused(settings, database, readBack.get(), step);
        }
        long every = timeToLive.toMillis() / 3;
        lease.renewer.scheduleAtFixedRate(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    private void renew() {
        try {
            Instant now = Instant.now();
            write(new Holder(mine.runId(), mine.host(), mine.pid(), mine.since(), now.plus(timeToLive)), "writer-lease");
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
            throw StorageFailures.of(step, "Could not write the writer lease s3://" + bucket + "/" + key, e);
        }
    }

    private static Optional<Holder> read(S3Client client, String bucket, String key, String step) {
        try {
            return Optional.of(JSON.readValue(client.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray(), Holder.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            // an unreadable lease is no lease: it was not written by a Ferry that could hold it
            return Optional.empty();
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not read the writer lease s3://" + bucket + "/" + key, e);
        }
    }

    private static FerryException refused(ObjectStoreSettings settings, String database, Holder holder, String step) {
        return new FerryException(ErrorCode.RUN_LOCKED, step, "Another run writes the artifacts of " + database + " under "
                + settings.describe(), "the writer lease " + key(settings.prefix(), database) + " is held by " + holder.describe(),
                "Wait for that run to end (or its lease to expire, " + TIME_TO_LIVE.toMinutes() + " min after it stopped), then run again");
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
            Optional<Holder> current = read(client, bucket, key, "writer-lease");
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
