package dev.ferry.engine;

import java.util.Map;

/**
 * What to read into an {@link Inventory}. {@code rowHash}: the method the other side used (from
 * the artifact's figures), or null for the engine's best; {@code checks}: the migration's check
 * queries by name, whose values are read in the same snapshot; {@code jobs}: how many sessions
 * read tables side by side.
 */
public record FigureRequest(boolean checksums, String rowHash, Map<String, String> checks, int jobs) {

    public FigureRequest {
        checks = checks == null ? Map.of() : Map.copyOf(checks);
        jobs = Math.max(1, jobs);
    }

    public static FigureRequest counts() {
        return new FigureRequest(false, null, Map.of(), 1);
    }
}
