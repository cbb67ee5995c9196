package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import dev.ferry.runtime.Variables;
import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.cutover.Notification;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.RunContext;
import dev.ferry.runtime.StepRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ferry:notify}: at the end of a run, passed or failed, sends its summary as JSON — to
 * {@code notify.url} (HTTP POST) or to {@code notify.endpoint} (any Camel endpoint URI). A
 * notification that cannot be delivered is a warning in the report, not a failed cutover. A run
 * refused as bad input (exit 2) notifies nobody: it connects to nothing.
 */
public final class NotifyStep implements FerryStep {

    public static final Setting URL = Setting.text("notify.url", null, "an HTTP(S) URL the run's summary is posted to as JSON");
    public static final Setting ENDPOINT = Setting.text("notify.endpoint", null, "a Camel endpoint URI the run's summary is sent to");
    public static final Setting TIMEOUT_SECONDS = Setting.integer("notify.timeoutSeconds", 30, "how long the notification may take");

    public static final StepSpec SPEC = StepSpec.of("notify", "always runs: posts the run's summary to notify.url, or sends it to notify.endpoint",
            StepSpec.Contract.of(Set.of(), Set.of()).alwaysRunning(), List.of(), List.of(URL, ENDPOINT, TIMEOUT_SECONDS));

    @Override
    public void execute(StepExecution execution) {
        Optional<String> url = execution.settings().find(URL.key());
        Optional<String> endpoint = execution.settings().find(ENDPOINT.key());
        if (url.isEmpty() && endpoint.isEmpty()) {
            execution.note("no notify.url or notify.endpoint: nobody to tell");
            return;
        }
        if (execution.runFailure() instanceof FerryException refused && refused.code().exitCode() == 2) {
            // bad input (a window refusal, say) is refused before anything connects: the webhook too
            execution.note("not notified: the run was refused as bad input (" + refused.code() + ") before anything connected");
            return;
        }
        String json = Redactor.redact(summary(execution));
        try {
            if (url.isPresent()) {
                int status = Notification.post(url.get(), json,
                        Duration.ofSeconds(TIMEOUT_SECONDS.intValue(execution.settings(), execution.stepId())),
                        execution.stepId());
                execution.note("summary posted to " + java.net.URI.create(url.get()).getHost() + " (HTTP " + status + ")");
            }
            if (endpoint.isPresent()) {
                execution.camelContext().createProducerTemplate().sendBody(endpoint.get(), json);
                execution.note("summary sent to " + endpoint.get());
            }
        } catch (FerryException e) {
            execution.note("the notification was not delivered: " + e.getMessage() + " (" + e.why() + ")");
            execution.run().console().warn("notify: " + e.getMessage() + ": " + e.why());
        } catch (RuntimeException e) {
            execution.note("the notification was not delivered: " + e.getMessage());
            execution.run().console().warn("notify: " + e.getMessage());
        }
    }

    private static String summary(StepExecution execution) {
        RunContext run = execution.run();
        Throwable failure = execution.runFailure();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runId", run.runId());
        summary.put("migration", run.migration());
        summary.put("status", failure == null ? "passed" : "failed");
        summary.put("rehearsal", run.rehearsal());
        if (run.writeDowntimeMs() != null) {
            summary.put("writeDowntimeMs", run.writeDowntimeMs());
        }
        if (run.artifactUri() != null) {
            summary.put("artifact", run.artifactUri());
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepRecord record : run.records().values()) {
            if (record.id.equals(execution.stepId())) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", record.id);
            row.put("status", record.status.name().toLowerCase());
            row.put("durationMs", record.durationMs);
            if (!record.notes.isEmpty()) {
                row.put("notes", record.notes);
            }
            if (record.error != null) {
                row.put("error", record.error);
            }
            steps.add(row);
        }
        summary.put("steps", steps);
        if (failure != null) {
            FerryException explained = failure instanceof FerryException ferry ? ferry
                    : new FerryException(dev.ferry.ErrorCode.INTERNAL, null, String.valueOf(failure.getMessage()), null, null);
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", explained.code().name());
            error.put("step", explained.step());
            error.put("what", explained.what());
            error.put("why", explained.why());
            error.put("next", explained.next());
            summary.put("error", error);
        }
        try {
            return Json.MAPPER.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary of maps and strings always serialises", e);
        }
    }
}
