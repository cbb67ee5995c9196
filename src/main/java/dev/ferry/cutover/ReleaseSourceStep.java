package dev.ferry.cutover;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.cutover.Estimates;
import dev.ferry.cutover.SwitchResult;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.Variables;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code ferry:release-source}: runs at the end of every cutover, passed or failed (the pipeline's
 * doFinally). It releases the source's freeze after a failure, when nothing was switched, or after
 * the switch with {@code cutover.afterSwitch: release}; by default ({@code keep}) a switched source
 * stays read-only, so a forgotten application cannot write to the old database. It reports how long
 * writes were frozen: freeze to switch, or freeze to release.
 */
public final class ReleaseSourceStep implements FerryStep {

    public static final Setting AFTER_SWITCH = Setting.choice("cutover.afterSwitch", "keep",
            "keep: the source stays frozen after the switch; release: writes are allowed again", "keep", "release");

    public static final StepSpec SPEC = StepSpec.of("release-source",
            "always runs: releases the freeze after a failure (or after the switch with cutover.afterSwitch: release)"
                    + " and reports how long writes were frozen",
            StepSpec.Contract.of(Set.of(), Set.of()).alwaysRunning(), List.of(), List.of(AFTER_SWITCH));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        SourceFreeze freeze = execution.optionalInput(Variables.FREEZE, SourceFreeze.class);
        if (freeze == null || !freeze.frozen()) {
            execution.note(freeze == null ? "the source was not frozen" : "nothing to release: " + freeze.description());
            return;
        }
        String afterSwitch = AFTER_SWITCH.choice(execution.settings(), execution.stepId());
        if (!afterSwitch.equals("keep") && !afterSwitch.equals("release")) {
            throw execution.fail(ErrorCode.BAD_INPUT, "cutover.afterSwitch '" + afterSwitch + "' is neither keep nor release",
                    "the source stays frozen", "Fix the setting, then run 'ferry release " + execution.run().runId() + "'");
        }
        SwitchResult switched = execution.optionalInput(Variables.SWITCH, SwitchResult.class);
        boolean failed = execution.runFailure() != null;
        if (!failed && switched != null && switched.switched() && afterSwitch.equals("keep")) {
            Duration downtime = Duration.between(freeze.frozenAt(), switched.at());
            report(execution, downtime, "freeze to switch");
            execution.note("the source stays read-only (cutover.afterSwitch: keep); 'ferry release " + execution.run().runId()
                    + "' lifts it");
            return;
        }
        DatabaseEndpoint source = execution.optionalInput(Variables.SOURCE, DatabaseEndpoint.class);
        if (source == null || !freeze.holds(source)) {
            throw execution.fail(ErrorCode.FREEZE, "The freeze of " + freeze.where() + " could not be released",
                    source == null ? "the source's credentials were not collected in this run"
                            : "this run's source is " + source + ", not the frozen database",
                    "Run 'ferry release " + execution.run().runId() + "' once the source's credentials are at hand");
        }
        String done = Engines.forName(source.engine(), step).releaseWrites(source, step);
        execution.run().journalFreeze(step, freeze, true, done);
        execution.note(done + (failed ? " (the run failed)" : switched == null || !switched.switched() ? " (nothing was switched)"
                : " (cutover.afterSwitch: release)"));
        report(execution, Duration.between(freeze.frozenAt(), Instant.now()), "freeze to release");
    }

    private static void report(StepExecution execution, Duration downtime, String span) {
        execution.figure("writeDowntimeMs", downtime.toMillis());
        execution.run().writeDowntime(downtime.toMillis());
        execution.note("writes were frozen for " + Estimates.show(downtime) + " (" + span + ")");
    }
}
