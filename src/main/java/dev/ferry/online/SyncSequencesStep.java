package dev.ferry.online;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:sync-sequences}: logical replication does not carry sequences, so once the source is
 * frozen and drained each sequence of the target is set to the source's value (never an earlier
 * reading, which the source's writes since would have outrun).
 */
public final class SyncSequencesStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("sync-sequences",
            "sets every sequence of the target to its value on the frozen source",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.FREEZE), Set.of()), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        SourceFreeze freeze = execution.input(Variables.FREEZE, SourceFreeze.class);
        int copied = OnlineSteps.capture(execution, source, target).copySequences(source, target, execution.stepId());
        execution.figure("sequences", copied);
        execution.note(copied + " sequence(s) set from the " + (freeze.frozen() ? "frozen" : "live (not frozen: "
                + freeze.description() + ")") + " source");
    }
}
