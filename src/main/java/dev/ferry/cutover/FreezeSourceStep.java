package dev.ferry.cutover;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.cutover.CutoverWindow;
import dev.ferry.cutover.Estimates;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.Variables;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code ferry:freeze-source}: makes the source refuse writes for the rest of a cutover, so the dump
 * holds its last write and the smoke test compares with a source that no longer moves. Before
 * freezing it measures the source (figure {@code sourceBytes}) and checks the rehearsal's estimate,
 * scaled to that size, against what is left of the window (exit 2, nothing frozen). The freeze is
 * set as {@code ferry.freeze} and journaled before it takes effect, so a release (the pipeline's
 * release-source, {@code ferry resume}, {@code ferry release RUN}) always knows of it. A rehearsal
 * measures and does not freeze.
 */
public final class FreezeSourceStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("freeze-source",
            "checks the size-scaled estimate against the window, journals the intent, then makes the source refuse writes"
                    + " (not in a rehearsal)", StepSpec.Contract.of(Set.of(Variables.SOURCE), Set.of(Variables.FREEZE)), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        Engine engine = Engines.forName(source.engine(), step);
        long size = engine.databaseSize(source, step);
        execution.figure(MigrationRunner.SOURCE_BYTES, size);
        if (execution.run().rehearsal()) {
            execution.output(Variables.FREEZE, SourceFreeze.of(source, Instant.now(), false, "rehearsal: source not frozen"));
            execution.note("rehearsal: " + source.describe() + " is not frozen (" + size + " bytes measured for the estimate)");
            return;
        }
        checkEstimate(execution, size);
        SourceFreeze freeze = SourceFreeze.of(source, Instant.now(), true, "writes to " + source.describe() + " frozen");
        execution.run().journalFreeze(step, freeze, false, "about to freeze writes to " + freeze.where());
        // set before the effect: a freeze that fails half-way is still released by release-source
        execution.output(Variables.FREEZE, freeze);
        String done = engine.freezeWritesDurably(source, step);
        execution.figure("frozenAt", freeze.frozenAt().toString());
        execution.note(done);
    }

    private static void checkEstimate(StepExecution execution, long size) {
        Optional<String> text = execution.settings().find(WindowGateStep.WINDOW);
        Optional<Estimates.Recorded> recorded = Estimates.read(execution.run().stateRoot(), execution.run().migration());
        if (text.isEmpty() || recorded.isEmpty()) {
            return;
        }
        CutoverWindow window = CutoverWindow.parse(text.get(), execution.stepId());
        Instant now = Instant.now();
        Optional<CutoverWindow.Span> span = window.containing(now);
        Duration estimate = Estimates.estimate(recorded.get(), size, WindowGateStep.steps(execution).stream()
                .dropWhile(id -> !id.equals(execution.stepId())).toList());
        execution.figure("estimateMs", estimate.toMillis());
        if (span.isEmpty() || estimate.compareTo(span.get().left(now)) > 0) {
            throw execution.fail(ErrorCode.OUTSIDE_WINDOW, "The estimate " + Estimates.show(estimate) + " for today's "
                            + size + " bytes does not fit in what is left of the window " + window.describe(),
                    span.map(s -> Estimates.show(s.left(now)) + " left; the rehearsal measured " + recorded.get().sourceBytes()
                            + " bytes").orElse("the window has ended"),
                    "Nothing was frozen; run again earlier in the window, or widen cutover.window");
        }
        execution.note("estimate " + Estimates.show(estimate) + " from the freeze on, scaled to " + size
                + " bytes, fits in the window");
    }
}
