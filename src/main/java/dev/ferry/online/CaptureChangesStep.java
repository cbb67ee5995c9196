package dev.ferry.online;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry:capture-changes}: starts the source's change stream (for PostgreSQL a publication and a
 * logical slot named after the run) at a snapshot that the dump then copies, so the copy and the
 * stream meet exactly: nothing lost, nothing applied twice. The stream is journaled and set as
 * {@code ferry.changes} before it is created, so whatever happens next the pipeline's stop-following,
 * {@code ferry resume} and {@code ferry release RUN} know of it and drop it.
 */
public final class CaptureChangesStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("capture-changes",
            "journals, then creates the source's change stream (publication and slot named after the run) at the snapshot the"
                    + " dump copies",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET), Set.of(Variables.CHANGES)), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ChangeCapture capture = OnlineSteps.capture(execution, source, target);
        ChangeStream stream = ChangeStream.of(source, target, execution.run().runId(), Instant.now());
        execution.run().journalCapture(execution.stepId(), stream, false, "about to create " + stream.describe());
        // set before the effect: a start that fails half-way is still dropped by stop-following
        execution.output(Variables.CHANGES, stream);
        ChangeCapture.ExportedSnapshot snapshot = capture.start(source, stream, execution.stepId());
        HeldSnapshot.of(execution.run()).hold(snapshot);
        execution.figure("slot", stream.slot());
        execution.figure("startPosition", snapshot.startPosition());
        execution.note(stream.replicatedByBinlog() ? "the stream is the binary log of " + source.describe()
                + ": nothing created on it; the dump records its GTID position, the target's " + stream.describe() + " starts there"
                : "slot " + stream.slot() + " and publication " + stream.publication() + " created on " + source.describe()
                + "; the dump reads the slot's snapshot " + snapshot.id());
    }
}
