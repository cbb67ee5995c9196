package dev.ferry.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a physical migration (pgBackRest) asks of a server beyond the logical engine: its settings,
 * its system identifier, whether it still recovers, {@code ALTER SYSTEM} for archiving, and the
 * version of a server program. The SQL lives in the engine's package.
 */
public interface PhysicalServer {

    /** The current values of the named server settings; a name the server does not know is absent. */
    Map<String, String> settings(DatabaseEndpoint endpoint, List<String> names, String step);

    String systemIdentifier(DatabaseEndpoint endpoint, String step);

    boolean inRecovery(DatabaseEndpoint endpoint, String step);

    void alterSystemAndReload(DatabaseEndpoint endpoint, Map<String, String> values, String step);

    /** The version a server program prints ({@code postgres --version}). */
    ServerVersion programVersion(Path program, String step);

    /** A version as the server or a backup's metadata writes it ({@code 16}, {@code 15.4}). */
    ServerVersion parseVersion(String text);
}
