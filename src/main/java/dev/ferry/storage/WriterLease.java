package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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

    /** What a lease object holds. */
    public record Holder(String runId, String host, long pid, Instant since, Instant expires) {
        public String describe() {
            return "run " + runId + " on " + host + " (pid " + pid + ") since " + since + ", lease valid until " + expires;
        }

        static Holder of(LeaseObject.Holder stored) {
            return new Holder(stored.runId(), stored.host(), stored.pid(), stored.since(), stored.expires());
        }
    }

    private final LeaseObject lease;

    private WriterLease(LeaseObject lease) {
        this.lease = lease;
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
        LeaseObject lease = LeaseObject.write(client, settings.bucket(), key, runId, timeToLive, step);
        sleep(SETTLE);
        Optional<Holder> readBack = read(client, settings.bucket(), key, step);
        if (readBack.isPresent() && !readBack.get().runId().equals(runId)) {
            throw refused(settings, database, readBack.get(), step);
        }
        lease.keepRenewed();
        return new WriterLease(lease);
    }

    private static Optional<Holder> read(S3Client client, String bucket, String key, String step) {
        return LeaseObject.read(client, bucket, key, step).map(Holder::of);
    }

    private static FerryException refused(ObjectStoreSettings settings, String database, Holder holder, String step) {
        return new FerryException(ErrorCode.RUN_LOCKED, step, "Another run writes the artifacts of " + database + " under "
                + settings.describe(), "the writer lease " + key(settings.prefix(), database) + " is held by " + holder.describe(),
                "Wait for that run to end (or its lease to expire, " + TIME_TO_LIVE.toMinutes() + " min after it stopped), then run again");
    }

    /** Stops renewing and leaves the lease to expire, as a run that died would. */
    void stopRenewing() {
        lease.stopRenewing();
    }

    /** Stops renewing and deletes the lease if it is still this run's. */
    @Override
    public void close() {
        lease.close();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
