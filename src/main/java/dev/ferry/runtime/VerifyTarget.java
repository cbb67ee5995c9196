package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ferry verify} compares: a finished run's target with its artifact (the migration
 * file and settings the run began with), or a migration file with {@code --set artifact=...}. A
 * verification is a run of the pipeline's smoke test alone, so it reports like any run.
 */
public record VerifyTarget(Path migrationFile, Map<String, String> sets) {

    public static final String STEP = "smoke-test";
    private static final String SMOKE_AGAINST = "smoke.against";

    /** For a run id: its migration file and settings, and the artifact it uploaded or imported. */
    public static VerifyTarget ofRun(StateDirectory state, String runId, Map<String, String> extra) {
        Path runDirectory = state.existingRun(runId);
        java.util.List<JournalEvent> events = RunJournal.read(runDirectory);
        JournalEvent.RunStart start = events.stream().filter(e -> JournalEvent.RUN_STARTED.equals(e.event()))
                .map(JournalEvent::run).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, null, "The journal of run " + runId + " has no start", null,
                        "Verify a migration file instead: ferry verify FILE --set artifact=s3://bucket/folder/"));
        String artifact = artifactOf(runDirectory);
        if (artifact == null) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Run " + runId + " names no artifact",
                    "it stopped before its upload, or before it read an artifact", "Verify a migration file with --set artifact=...");
        }
        Map<String, String> sets = new LinkedHashMap<>(start.sets() == null ? Map.of() : start.sets());
        sets.put(PreparedMigration.ARTIFACT_SETTING, artifact);
        if (events.stream().anyMatch(e -> JournalEvent.CAPTURE_INTENT.equals(e.event()))) {
            // an online run's target followed the source past its copy's snapshot: only the live source can tell
            sets.put(SMOKE_AGAINST, "live");
        }
        sets.putAll(extra);
        return new VerifyTarget(Path.of(start.migrationFile()), sets);
    }

    private static String artifactOf(Path runDirectory) {
        Path report = runDirectory.resolve("report.json");
        if (!Files.isRegularFile(report)) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(report.toFile());
            return node.hasNonNull("artifact") ? node.get("artifact").asText() : null;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "The report of the run in " + runDirectory + " cannot be read",
                    e.getMessage(), "Verify a migration file instead: ferry verify FILE --set artifact=s3://bucket/folder/");
        }
    }
}
