package dev.ferry.everest.api;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.Engines;

/**
 * Per Everest engine type: Ferry's engine, the version flavour, and where the admin credentials sit
 * in the user Secret ({@code everest-secrets-<cluster>}): PostgreSQL user {@code postgres}, key
 * {@code password}; PXC user {@code root}, key {@code root}.
 */
public record EngineKeys(String engineType, String ferryEngine, String flavour, String user, String passwordKey) {

    public static EngineKeys of(String engineType, String step) {
        return switch (engineType) {
            case "postgresql" -> new EngineKeys("postgresql", "postgresql", "postgresql", "postgres", "password");
            case "pxc" -> new EngineKeys("pxc", "mysql", "mysql", "root", "root");
            default -> throw new FerryException(ErrorCode.BAD_INPUT, step, "Everest engine type '" + engineType + "' is not supported by Ferry",
                    "Ferry moves PostgreSQL and MySQL databases", "Set everest.engine to postgresql or pxc");
        };
    }

    /** The Everest engine type for a source engine name (any alias): postgresql, or pxc for MySQL and MariaDB. */
    public static String engineTypeFor(String engineName, String step) {
        String engine = Engines.forName(engineName, step).name();
        return switch (engine) {
            case "postgresql" -> "postgresql";
            case "mysql" -> "pxc";
            default -> throw new FerryException(ErrorCode.BAD_INPUT, step, "Everest holds no " + engine + " databases",
                    "Everest runs PostgreSQL and Percona XtraDB Cluster (MySQL)", "Migrate into another target, or set everest.engine");
        };
    }
}
