package dev.ferry.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * One line of a run's journal. {@code outputs} maps a variable name to its journaled form
 * ({@code type} and {@code value}); secrets are never among them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEvent(String event, Instant at, String step, String uri,
                           Map<String, JournaledValue> outputs, Map<String, Object> figures,
                           java.util.List<String> notes, ErrorInfo error, String status,
                           RunStart run) {

    public static final String RUN_STARTED = "run-started";
    public static final String RUN_RESUMED = "run-resumed";
    public static final String STEP_STARTED = "step-started";
    public static final String STEP_FINISHED = "step-finished";
    public static final String STEP_SKIPPED = "step-skipped";
    public static final String STEP_FAILED = "step-failed";
    public static final String RUN_FINISHED = "run-finished";
    /** What a step is about to do, written before it does it; the step's own end line follows. */
    public static final String INTENT = "intent";
    /** A cutover is about to freeze the source's writes: written before the freeze takes effect ({@code outputs} holds it). */
    public static final String FREEZE_INTENT = "freeze-intent";
    /** The source's freeze was released (by the run's release-source step or by {@code ferry release}). */
    public static final String FREEZE_RELEASED = "freeze-released";

    /** An online cutover is about to create its change stream (slot, publication): written first ({@code outputs} holds it). */
    public static final String CAPTURE_INTENT = "capture-intent";
    /** The change stream's slot, publication and subscription were dropped (by the run or by {@code ferry release}). */
    public static final String CAPTURE_DROPPED = "capture-dropped";

    public record JournaledValue(String type, JsonNode value) {
    }

    /**
     * Everything needed to run the same migration again; never a secret value. {@code migrationSha256}
     * and {@code settings} (as shown: inline secrets masked) let a resume see that the file changed, and how.
     */
    public record RunStart(String runId, String migrationFile, String pipeline, String name,
                           Map<String, String> sets, String from, String until, String home,
                           String migrationSha256, Map<String, String> settings, Boolean rehearsal) {

        public RunStart(String runId, String migrationFile, String pipeline, String name,
                        Map<String, String> sets, String from, String until, String home) {
            this(runId, migrationFile, pipeline, name, sets, from, until, home, null, null, null);
        }

        public RunStart(String runId, String migrationFile, String pipeline, String name, Map<String, String> sets,
                        String from, String until, String home, String migrationSha256, Map<String, String> settings) {
            this(runId, migrationFile, pipeline, name, sets, from, until, home, migrationSha256, settings, null);
        }

        public boolean isRehearsal() {
            return Boolean.TRUE.equals(rehearsal);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorInfo(String code, String what, String why, String next) {
    }
}
