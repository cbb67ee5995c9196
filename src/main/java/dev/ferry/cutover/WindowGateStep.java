package dev.ferry.cutover;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import dev.ferry.runtime.Variables;
import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.cutover.CutoverWindow;
import dev.ferry.cutover.Estimates;
import dev.ferry.cutover.SwitchTarget;
import dev.ferry.runtime.RunPlan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code ferry:window-gate}: holds a cutover to {@code cutover.window}. At the start (before anything
 * connects) it refuses, with exit 2, a run outside the window or one whose estimate (the latest
 * rehearsal's step durations) ends past it, and checks that the switch is configured. With
 * {@code phase=switch} it is the point of no return: past the window's end the run fails, so the
 * freeze is released instead of switching late. A rehearsal is not held to the window; a dry run
 * only says what a real run would meet.
 */
public final class WindowGateStep implements FerryStep {

    public static final String WINDOW = "cutover.window";

    public static final Setting WINDOW_SETTING = Setting.text(WINDOW, null,
            "when the cutover may run, for example 'Sat 01:00-05:00 Europe/Berlin'; unset: any time");
    public static final Setting PHASE = Setting.choice("phase", "start", "start: before anything connects; switch: the point of no return", "start", "switch");

    public static final StepSpec SPEC = StepSpec.of("window-gate",
            "refuses to start (or, with phase=switch, to switch) outside cutover.window, or when the estimate from earlier"
                    + " rehearsals ends past it",
            StepSpec.Contract.of(Set.of(), Set.of()), List.of(PHASE), List.of(WINDOW_SETTING));


    @Override
    public void execute(StepExecution execution) {
        boolean atSwitch = "switch".equals(execution.options().getOrDefault(PHASE.key(), PHASE.defaultValue()));
        if (execution.run().rehearsal()) {
            execution.note("rehearsal: the window is not enforced");
            return;
        }
        if (!atSwitch && usesDefaultSwitch(execution)) {
            SwitchTarget.of(execution.settings(), execution.stepId());
        }
        Optional<String> text = execution.settings().find(WINDOW);
        if (text.isEmpty()) {
            execution.note("no " + WINDOW + ": the run may start and switch at any time");
            return;
        }
        CutoverWindow window = CutoverWindow.parse(text.get(), execution.stepId());
        Instant now = Instant.now();
        Optional<CutoverWindow.Span> span = window.containing(now);
        if (span.isEmpty()) {
            if (atSwitch) {
                throw execution.fail(ErrorCode.WINDOW_ENDED, "The window " + window.describe() + " ended before the switch",
                        "it is " + window.show(now) + "; the run took longer than the window allowed",
                        "The freeze is released and nothing was switched; rehearse again (ferry run FILE --rehearsal) to refine"
                                + " the estimate, then run in the next window");
            }
            refuse(execution, "It is " + window.show(now) + ", outside the window " + window.describe(),
                    window.next(now).map(next -> "the next window opens " + window.show(next.start())).orElse("no window is ahead"),
                    "Run it within the window, or let 'ferry schedule FILE' start it when the window opens");
            return;
        }
        Duration left = span.get().left(now);
        execution.figure("windowEndsAt", span.get().end().toString());
        execution.figure("windowLeftMs", left.toMillis());
        if (atSwitch) {
            execution.note("point of no return passed within the window: " + Estimates.show(left) + " left");
            return;
        }
        Optional<Estimates.Recorded> recorded = Estimates.read(execution.run().stateRoot(), execution.run().migration());
        if (recorded.isEmpty()) {
            execution.note("no rehearsal recorded: no estimate to hold to the window (rehearse with --rehearsal)");
            return;
        }
        Duration estimate = Estimates.estimate(recorded.get(), -1, steps(execution));
        execution.figure("estimateMs", estimate.toMillis());
        String from = "rehearsal " + recorded.get().runId() + " of " + recorded.get().at();
        if (estimate.compareTo(left) > 0) {
            refuse(execution, "The estimate " + Estimates.show(estimate) + " does not fit in the " + Estimates.show(left)
                            + " left of the window " + window.describe(),
                    "the estimate comes from " + from + "; the window ends " + window.show(span.get().end()),
                    "Start earlier in the window, widen cutover.window, or make the run faster and rehearse again");
            return;
        }
        execution.note("estimate " + Estimates.show(estimate) + " (from " + from + ") fits in the " + Estimates.show(left)
                + " left of the window");
    }

    private static void refuse(StepExecution execution, String what, String why, String next) {
        if (execution.run().dryRun()) {
            execution.note("a real run would be refused: " + what + " (" + why + ")");
            return;
        }
        throw execution.fail(ErrorCode.OUTSIDE_WINDOW, what, why, next);
    }

    private static boolean usesDefaultSwitch(StepExecution execution) {
        RunPlan.PlannedStep planned = execution.run().plan().step("switch");
        return planned != null && (planned.action() == RunPlan.Action.RUN || execution.run().dryRun())
                && planned.uri().startsWith("ferry:switch");
    }

    /** The steps of this run still to run, which the estimate covers. */
    static List<String> steps(StepExecution execution) {
        return execution.run().plan().steps().stream().filter(s -> s.action() == RunPlan.Action.RUN).map(RunPlan.PlannedStep::id)
                .toList();
    }
}
