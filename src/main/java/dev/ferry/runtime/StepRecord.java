package dev.ferry.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What happened to one step in this run: the report's row for it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class StepRecord {

    public enum Status { PENDING, RUNNING, PASSED, FAILED, SKIPPED, RESTORED }

    public String id;
    public String uri;
    public Status status = Status.PENDING;
    public Instant startedAt;
    public Instant finishedAt;
    public long durationMs;
    public long bytes;
    public Double bytesPerSecond;
    public final Map<String, Object> figures = new LinkedHashMap<>();
    public final List<String> notes = new ArrayList<>();
    public JournalEvent.ErrorInfo error;

    StepRecord() {
    }

    StepRecord(String id, String uri) {
        this.id = id;
        this.uri = uri;
    }
}
