package dev.ferry.storage;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished dump wrote: written last into the artifact folder, so that a folder without it is
 * an unfinished dump. Holds no user name and no secret. {@code figures} is free-form (for example the
 * source's inventory, for the smoke test).
 */
public record Manifest(int formatVersion, String engine, String serverVersion, String toolName, String toolVersion,
                       String format, String compression, Instant createdAt, Instant finishedAt, Source source,
                       List<StoredObject> objects, Map<String, Object> figures) {

    public static final int FORMAT_VERSION = 1;

    public Manifest {
        objects = objects == null ? List.of() : List.copyOf(objects);
        figures = figures == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Where the dump came from: no user, no password. */
    public record Source(String host, int port, String database) {
    }

    /**
     * One object of the artifact: {@code size} and {@code sha256} are of the stored (compressed)
     * bytes, {@code uncompressedSize} of what the dump tool wrote.
     */
    public record StoredObject(String name, String key, String format, long size, String sha256, long uncompressedSize) {
    }

    public Optional<StoredObject> object(String name) {
        return objects.stream().filter(object -> object.name().equals(name)).findFirst();
    }
}
