package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:drain}: with the source frozen, reads its WAL position (the freeze position: every
 * write the source accepted lies before it) and waits until the target has confirmed it. Records the
 * lag at the freeze.
 */
public final class DrainStep implements FerryStep {

    public static final Setting TIMEOUT_SECONDS = Setting.integer("online.drainTimeoutSeconds", 60,
            "how long the target may take to apply the changes left at the freeze before the run fails (and the freeze is released)");

    public static final StepSpec SPEC = StepSpec.of("drain",
            "waits until the target has confirmed the frozen source's WAL position; records the lag at the freeze",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.CHANGES, Variables.FREEZE), Set.of()), List.of(),
            List.of(TIMEOUT_SECONDS));

    private static final long POLL_MS = 50;

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        SourceFreeze freeze = execution.input(Variables.FREEZE, SourceFreeze.class);
        ChangeStream stream = OnlineSteps.stream(execution);
        ChangeCapture capture = OnlineSteps.capture(execution, source, target);
        int timeout = TIMEOUT_SECONDS.intValue(execution.settings(), step);
        long started = System.nanoTime();
        long position;
        long lagAtFreeze;
        String unit = capture.lagUnit();
        try (ChangeCapture.LagWatch watch = capture.watch(source, target, stream, step)) {
            position = watch.position();
            ChangeCapture.Lag lag = watch.lag();
            lagAtFreeze = Math.max(0, position - lag.confirmedPosition());
            while (lag.confirmedPosition() < position) {
                CatchUpStep.check(execution, stream, lag);
                if (System.nanoTime() - started > timeout * 1_000_000_000L) {
                    throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The target did not reach the freeze position within " + timeout
                                    + " s", (position - lag.confirmedPosition()) + " " + unit + " still unapplied (" + lagAtFreeze
                                    + " at the freeze)",
                            "The freeze is released and nothing switched; run again, or raise online.drainTimeoutSeconds");
                }
                OnlineSteps.sleep(POLL_MS, execution);
                lag = watch.lag();
            }
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        execution.figure("freezePosition", position);
        execution.figure(CatchUpStep.figureName("lagAtFreeze", unit), lagAtFreeze);
        execution.figure("drainMs", tookMs);
        execution.note((freeze.frozen() ? "" : freeze.description() + ": ") + "drained to the freeze position in " + tookMs
                + " ms (lag at the freeze " + lagAtFreeze + " " + unit + ")");
    }
}
