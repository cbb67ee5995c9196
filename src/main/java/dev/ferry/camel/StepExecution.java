package dev.ferry.camel;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.RunContext;
import dev.ferry.runtime.Settings;
import dev.ferry.runtime.CurrentStep;
import dev.ferry.runtime.Variables;
import org.apache.camel.Exchange;

import java.util.Map;

/** What a step sees while it runs: its exchange's variables, the run, its own id and endpoint options. */
public final class StepExecution {

    private final Exchange exchange;
    private final RunContext run;
    private final String stepId;
    private final Map<String, String> options;

    StepExecution(Exchange exchange, String kind, Map<String, String> options) {
        this.exchange = exchange;
        this.run = exchange.getVariable(Variables.RUN, RunContext.class);
        if (run == null) {
            throw new FerryException(ErrorCode.INTERNAL, kind, "ferry:" + kind + " was called outside a Ferry run",
                    "the exchange has no " + Variables.RUN + " variable", "Run pipelines with 'ferry run'");
        }
        this.stepId = CurrentStep.of(exchange, kind);
        this.options = options;
    }

    public String stepId() {
        return stepId;
    }

    public RunContext run() {
        return run;
    }

    public Settings settings() {
        return run.settings();
    }

    public Map<String, String> options() {
        return options;
    }

    public <T> T input(String variable, Class<T> type) {
        T value = exchange.getVariable(variable, type);
        if (value == null) {
            throw new FerryException(ErrorCode.STEP_CONTRACT, stepId, "Input " + variable + " is not set",
                    "the step that sets it did not run or was replaced by an endpoint that does not set it",
                    "Check the pipeline's earlier steps");
        }
        return value;
    }

    public <T> T optionalInput(String variable, Class<T> type) {
        return exchange.getVariable(variable, type);
    }

    /**
     * The failure of an earlier step, seen from a step in the pipeline's doFinally (release-source,
     * notify), or null while the run goes well.
     */
    public Throwable runFailure() {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    /** The Camel context the run's routes live in (for a step that sends to any endpoint). */
    public org.apache.camel.CamelContext camelContext() {
        return exchange.getContext();
    }

    public void output(String variable, Object value) {
        exchange.setVariable(variable, value);
    }

    public void note(String note) {
        run.note(stepId, note);
    }

    public void figure(String name, Object value) {
        run.figure(stepId, name, value);
    }

    public void bytes(long bytes) {
        run.bytes(stepId, bytes);
    }

    /** This step as a restore sees it: notes, bytes and progress go to the step's report row, clean-ups to the run. */
    public dev.ferry.restore.RestoreContext restoreContext() {
        return new dev.ferry.restore.RestoreContext() {
            @Override
            public String stepId() {
                return stepId;
            }

            @Override
            public void note(String note) {
                StepExecution.this.note(note);
            }

            @Override
            public void bytes(long bytes) {
                StepExecution.this.bytes(bytes);
            }

            @Override
            public dev.ferry.runtime.ProgressHandle progress(String label, long totalBytes) {
                return run.progress(label, totalBytes);
            }

            @Override
            public void onEnd(AutoCloseable cleanup) {
                run.onEnd(cleanup);
            }

            @Override
            public void onEndOnceRecorded(AutoCloseable cleanup) {
                run.onEndIfRecorded(stepId, cleanup);
            }

            @Override
            public java.nio.file.Path workDirectory() {
                return run.runDirectory();
            }

            @Override
            public String runId() {
                return run.runId();
            }

            @Override
            public void intent(String what) {
                run.intent(stepId, what);
            }
        };
    }

    public FerryException fail(ErrorCode code, String what, String why, String next) {
        return new FerryException(code, stepId, what, why, next);
    }
}
