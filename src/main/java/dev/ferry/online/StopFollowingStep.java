package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.cutover.SwitchResult;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.StepRecord;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry:stop-following}: runs at the end of every online cutover, passed or failed (the
 * pipeline's doFinally), and drops the run's change stream: the subscription on the target, then the
 * slot and the publication on the source, so no slot keeps WAL on the source after the run. Sums up
 * the cutover: copy time, catch-up time, lag at the freeze and write downtime (freeze to switch).
 */
public final class StopFollowingStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("stop-following",
            "always runs: drops the run's subscription, slot and publication; reports copy and catch-up time, lag at the freeze"
                    + " and write downtime",
            StepSpec.Contract.of(Set.of(), Set.of()).alwaysRunning(), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        summarise(execution);
        ChangeStream stream = execution.optionalInput(Variables.CHANGES, ChangeStream.class);
        if (stream == null) {
            execution.note("no change stream was started");
            return;
        }
        DatabaseEndpoint source = execution.optionalInput(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.optionalInput(Variables.TARGET, DatabaseEndpoint.class);
        if (source == null || target == null || !stream.fromSource(source) || !stream.toTarget(target)) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The change stream " + stream.describe() + " could not be dropped",
                    source == null || target == null ? "the credentials of the source and the target were not collected in this run"
                            : "this run's source and target are not the stream's",
                    "Run 'ferry release " + execution.run().runId() + "' once the credentials are at hand");
        }
        String done = Engines.forName(source.engine(), execution.stepId()).changeCapture().orElseThrow()
                .stop(source, target, stream, execution.stepId());
        execution.run().journalCapture(execution.stepId(), stream, true, done);
        execution.note(done);
    }

    private static void summarise(StepExecution execution) {
        List<String> parts = new ArrayList<>();
        for (String figure : List.of("copyMs", "catchUpMs", "lagAtFreezeBytes", "lagAtFreezeTransactions")) {
            for (StepRecord record : execution.run().records().values()) {
                Object value = record.id.equals(execution.stepId()) ? null : record.figures.get(figure);
                if (value != null) {
                    execution.figure(figure, value);
                    parts.add(figure + " " + value);
                }
            }
        }
        SourceFreeze freeze = execution.optionalInput(Variables.FREEZE, SourceFreeze.class);
        SwitchResult switched = execution.optionalInput(Variables.SWITCH, SwitchResult.class);
        if (freeze != null && freeze.frozen() && switched != null && switched.switched()) {
            long downtime = Duration.between(freeze.frozenAt(), switched.at()).toMillis();
            execution.figure("writeDowntimeMs", downtime);
            parts.add("writeDowntimeMs " + downtime);
        }
        if (!parts.isEmpty()) {
            execution.note("online cutover: " + String.join(", ", parts));
        }
    }
}
