package dev.ferry.engine;

import java.time.Instant;

/**
 * A durable write freeze of a source database (output {@code ferry.freeze} of a cutover's
 * freeze-source step, and the journal's record of it): where it is, since when, and whether the
 * run froze anything at all ({@code frozen} is false for a rehearsal). No credentials: whoever
 * releases it collects them again.
 */
public record SourceFreeze(String engine, String host, int port, String database, String user, Instant frozenAt,
                           boolean frozen, String description) {

    public static SourceFreeze of(DatabaseEndpoint endpoint, Instant frozenAt, boolean frozen, String description) {
        return new SourceFreeze(endpoint.engine(), endpoint.host(), endpoint.port(), endpoint.database(), endpoint.user(),
                frozenAt, frozen, description);
    }

    /** Whether the endpoint is the database this freeze holds. */
    public boolean holds(DatabaseEndpoint endpoint) {
        return engine.equals(endpoint.engine()) && host.equals(endpoint.host()) && port == endpoint.port()
                && database.equals(endpoint.database());
    }

    public String where() {
        return engine + "://" + host + ":" + port + "/" + database;
    }
}
