package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.StepDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.AsyncCallback;
import org.apache.camel.support.AsyncProcessorSupport;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps every {@code step} of the migration's route: skips or restores it as the plan says,
 * checks its inputs and outputs against its contract, journals its start and end, and prints its
 * summary line. This is the run's checkpointing, which Camel itself does not have.
 */
final class StepGuard implements InterceptStrategy {

    public static final String CURRENT_STEP = "ferry.step";

    private final String routeId;

    StepGuard(String routeId) {
        this.routeId = routeId;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor next) {
        if (!(definition instanceof StepDefinition step)) {
            return target;
        }
        RouteDefinition route = ProcessorDefinitionHelper.getRoute(step);
        if (route == null || !routeId.equals(route.getRouteId())) {
            return target;
        }
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                try {
                    guard(step.getId(), target, exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                callback.done(true);
                return true;
            }
        };
    }

    private void guard(String stepId, Processor target, Exchange exchange) throws Exception {
        RunContext run = exchange.getVariable(Variables.RUN, RunContext.class);
        RunPlan.PlannedStep planned = run.plan().step(stepId);
        StepRecord record = run.record(stepId);
        if (planned.action() == RunPlan.Action.SKIP) {
            record.status = StepRecord.Status.SKIPPED;
            journal(run, JournalEvent.STEP_SKIPPED, stepId, planned.uri(), null, null);
            return;
        }
        if (planned.action() == RunPlan.Action.RESTORE) {
            JournalEvent done = run.restored(stepId);
            if (done.outputs() != null) {
                done.outputs().forEach((name, value) -> exchange.setVariable(name, JournalCodec.decode(name, value)));
            }
            if (done.figures() != null) {
                record.figures.putAll(done.figures());
            }
            record.status = StepRecord.Status.RESTORED;
            run.console().line(StepSummary.line(record));
            return;
        }
        for (String input : planned.contract().reads()) {
            if (exchange.getVariable(input) == null && !run.plan().givenUpFront().contains(input)) {
                throw new FerryException(ErrorCode.STEP_CONTRACT, stepId, "Input " + input + " is not set",
                        "an earlier step (or its replacement) did not set it", "Check the endpoints replacing earlier steps");
            }
        }
        record.status = StepRecord.Status.RUNNING;
        record.startedAt = Instant.now();
        journal(run, JournalEvent.STEP_STARTED, stepId, planned.uri(), null, null);
        exchange.setProperty(CURRENT_STEP, stepId);
        Exception failure = null;
        try {
            target.process(exchange);
            failure = exchange.getException();
            if (failure == null) {
                checkOutputs(run.plan(), planned, exchange);
            }
        } catch (Exception e) {
            failure = e;
        }
        finish(record);
        if (failure != null) {
            FerryException explained = explain(stepId, planned.uri(), failure);
            record.status = StepRecord.Status.FAILED;
            record.error = new JournalEvent.ErrorInfo(explained.code().name(), explained.what(), explained.why(), explained.next());
            journal(run, JournalEvent.STEP_FAILED, stepId, planned.uri(), null, record);
            run.console().line(StepSummary.line(record));
            exchange.setException(explained);
            return;
        }
        record.status = StepRecord.Status.PASSED;
        journal(run, JournalEvent.STEP_FINISHED, stepId, planned.uri(), outputs(planned, exchange), record);
        run.finishRecorded(stepId);
        run.console().line(StepSummary.line(record));
    }

    private static void finish(StepRecord record) {
        record.finishedAt = Instant.now();
        record.durationMs = Duration.between(record.startedAt, record.finishedAt).toMillis();
        if (record.bytes > 0 && record.durationMs > 0) {
            record.bytesPerSecond = record.bytes * 1000.0 / record.durationMs;
        }
    }

    /** An output no later step of this run reads may stay unset (preflight probes no source a verification leaves alone). */
    private static void checkOutputs(RunPlan plan, RunPlan.PlannedStep planned, Exchange exchange) {
        for (String output : planned.contract().sets()) {
            if (exchange.getVariable(output) == null && plan.readLater(planned.id(), output)) {
                throw new FerryException(ErrorCode.STEP_CONTRACT, planned.id(), "Endpoint " + planned.uri() + " did not set " + output,
                        "step '" + planned.id() + "' must set " + planned.contract().sets(),
                        "Make the replacing endpoint set the variable, or call the default step from it");
            }
        }
    }

    private static Map<String, JournalEvent.JournaledValue> outputs(RunPlan.PlannedStep planned, Exchange exchange) {
        Map<String, JournalEvent.JournaledValue> outputs = new LinkedHashMap<>();
        for (String output : planned.contract().sets()) {
            if (!planned.contract().transientOutputs().contains(output) && exchange.getVariable(output) != null) {
                outputs.put(output, JournalCodec.encode(exchange.getVariable(output)));
            }
        }
        return outputs;
    }

    static FerryException explain(String stepId, String uri, Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof FerryException ferry) {
                return ferry.inStep(stepId);
            }
            cause = cause.getCause();
        }
        return new FerryException(ErrorCode.INTERNAL, stepId, "Endpoint " + uri + " failed",
                failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                "Look at the endpoint's own documentation or logs", failure);
    }

    private static void journal(RunContext run, String event, String stepId, String uri,
                                Map<String, JournalEvent.JournaledValue> outputs, StepRecord record) {
        Map<String, Object> figures = null;
        java.util.List<String> notes = null;
        JournalEvent.ErrorInfo error = null;
        if (record != null) {
            figures = new LinkedHashMap<>(record.figures);
            figures.put("durationMs", record.durationMs);
            if (record.bytes > 0) {
                figures.put("bytes", record.bytes);
            }
            notes = record.notes.isEmpty() ? null : record.notes;
            error = record.error;
        }
        run.journal().append(new JournalEvent(event, Instant.now(), stepId, uri, outputs, figures, notes, error, null, null));
    }
}
