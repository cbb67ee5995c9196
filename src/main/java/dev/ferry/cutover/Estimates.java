package dev.ferry.cutover;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.runtime.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How long a migration's steps took in its latest passed rehearsal, kept in the state folder
 * ({@code estimates/<migration>.json}), and the estimate they give for a run today: the steps that
 * move or compare data are scaled by today's database size over the rehearsal's.
 */
public final class Estimates {

    /** Steps whose duration grows with the data. */
    private static final Set<String> DATA_STEPS = Set.of("dump", "upload", "verify-versions", "import", "smoke-test");

    public record Recorded(String runId, Instant at, long sourceBytes, Map<String, Long> stepMillis) {
    }

    private Estimates() {
    }

    public static Path file(Path stateRoot, String migration) {
        return stateRoot.resolve("estimates").resolve(migration.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    public static void record(Path stateRoot, String migration, Recorded recorded) throws IOException {
        Path file = file(stateRoot, migration);
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(recorded));
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<Recorded> read(Path stateRoot, String migration) {
        Path file = file(stateRoot, migration);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), new TypeReference<Recorded>() {
            }));
        } catch (IOException e) {
            // a damaged estimate is no estimate: the window is still enforced, the report says so
            return Optional.empty();
        }
    }

    /**
     * The estimate for {@code steps}: each one's recorded duration, the data steps' scaled by
     * {@code todayBytes / sourceBytes} (unscaled when either size is unknown).
     */
    public static Duration estimate(Recorded recorded, long todayBytes, Collection<String> steps) {
        double scale = todayBytes > 0 && recorded.sourceBytes() > 0 ? (double) todayBytes / recorded.sourceBytes() : 1.0;
        double millis = 0;
        for (String step : steps) {
            long took = recorded.stepMillis().getOrDefault(step, 0L);
            millis += DATA_STEPS.contains(step) ? took * scale : took;
        }
        return Duration.ofMillis(Math.round(millis));
    }

    public static String show(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format("%.1f s", duration.toMillis() / 1000.0);
        }
        return seconds / 3600 > 0 ? String.format("%d h %02d min", seconds / 3600, seconds % 3600 / 60)
                : String.format("%d min %02d s", seconds / 60, seconds % 60);
    }
}
