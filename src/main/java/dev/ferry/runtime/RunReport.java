package dev.ferry.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** The outcome of a run, for machines (JSON, JUnit XML) and people (the summary). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RunReport(String runId, String migration, String pipeline, String migrationFile, String status,
                        Instant startedAt, Instant finishedAt, long durationMs, String artifact,
                        List<StepRecord> steps, List<String> differences, JournalEvent.ErrorInfo error,
                        String journal, Long writeDowntimeMs) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    /** Every step that ran passed, but the run stopped where --until said: later steps did not run. */
    public static final String PARTIAL = "partial";

    /** Whether every step that ran passed (a partial run too: it did what it was asked). */
    public boolean passed() {
        return PASSED.equals(status) || PARTIAL.equals(status);
    }
}
