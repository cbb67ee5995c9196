package dev.ferry.local;

import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;

/** A throwaway database server on this machine, for the demo and the tests. */
public interface LocalDatabaseServer extends AutoCloseable {

    String host();

    int port();

    String superuser();

    Secret password();

    DatabaseEndpoint endpoint(String database);

    void createDatabase(String database);

    void execute(String database, String sql);

    String queryValue(String database, String sql);

    /** Stops the server but keeps its data (an outage); {@link #restart()} brings it back on the same port. */
    void stopServer();

    void restart();

    @Override
    void close();
}
