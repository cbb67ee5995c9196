package dev.ferry.engine;

import java.time.Instant;
import java.util.Locale;

/**
 * A run's change stream from a source to a target (output {@code ferry.changes} of an online
 * cutover's capture-changes step, and the journal's record of it): where the source and the target
 * are, and the names of what the run creates on them (a replication slot and a publication on the
 * source, a subscription on the target), all named after the run so that a leftover is recognisable.
 * No credentials: whoever drops it collects them again.
 */
public record ChangeStream(String engine, String sourceHost, int sourcePort, String sourceDatabase, String targetHost,
                           int targetPort, String targetDatabase, String slot, String publication, String subscription,
                           Instant createdAt) {

    private static final java.util.Set<String> REPLICATED_BY_BINLOG = java.util.Set.of("mysql", "mariadb", "percona", "pxc");

    public static ChangeStream of(DatabaseEndpoint source, DatabaseEndpoint target, String runId, Instant createdAt) {
        // slot names allow lower-case letters, digits and underscores only, 63 bytes at most
        String name = ("ferry_" + runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
        name = name.length() > 63 ? name.substring(0, 63) : name;
        return new ChangeStream(source.engine(), source.host(), source.port(), source.database(), target.host(), target.port(),
                target.database(), name, name, name, createdAt);
    }

    public boolean fromSource(DatabaseEndpoint endpoint) {
        return sourceHost.equals(endpoint.host()) && sourcePort == endpoint.port() && sourceDatabase.equals(endpoint.database());
    }

    public boolean toTarget(DatabaseEndpoint endpoint) {
        return targetHost.equals(endpoint.host()) && targetPort == endpoint.port() && targetDatabase.equals(endpoint.database());
    }

    /** MySQL-family: the stream is the source's binary log, and all the run creates is a replication connection on the target. */
    public boolean replicatedByBinlog() {
        return REPLICATED_BY_BINLOG.contains(engine);
    }

    /** For messages: what exists where. */
    public String describe() {
        if (replicatedByBinlog()) {
            return "replication connection " + subscription + " on " + targetHost + ":" + targetPort + " (from the binary log of "
                    + sourceHost + ":" + sourcePort + "/" + sourceDatabase + ")";
        }
        return "slot " + slot + " and publication " + publication + " on " + sourceHost + ":" + sourcePort + "/" + sourceDatabase
                + ", subscription " + subscription + " on " + targetHost + ":" + targetPort + "/" + targetDatabase;
    }
}
