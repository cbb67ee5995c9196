package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry:follow}: once the copy is in (imported, promoted, smoke-tested against its snapshot),
 * makes the target apply the source's changes from the slot: a subscription in the target database
 * itself, so no rename moves it. Lets the dump's snapshot go first. Records the copy's duration
 * (slot created to now).
 */
public final class FollowStep implements FerryStep {

    public static final Setting SYNCHRONOUS_APPLY = Setting.flag("online.synchronousApply", true,
            "the target flushes each applied change before confirming it: a quicker drain (less write downtime), a slower"
                    + " catch-up on slow disks; false applies as PostgreSQL does by default");

    public static final StepSpec SPEC = StepSpec.of("follow",
            "subscribes the target to the run's slot (no copy: the dump brought the data) so it applies the source's changes",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET, Variables.CHANGES, Variables.IMPORT), Set.of()),
            List.of(), List.of(SYNCHRONOUS_APPLY));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ChangeStream stream = OnlineSteps.stream(execution);
        ChangeCapture capture = OnlineSteps.capture(execution, source, target);
        HeldSnapshot.of(execution.run()).close();
        if (!capture.slotExists(source, stream, step)) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The slot " + stream.slot() + " is gone from " + source.describe(),
                    "the changes made since the copy's snapshot cannot be followed without it",
                    "Start a new run (this target holds only the copy)");
        }
        capture.follow(source, target, stream, recordedStart(execution), SYNCHRONOUS_APPLY.flag(execution.settings(), step), step);
        long copyMs = Duration.between(stream.createdAt(), Instant.now()).toMillis();
        execution.figure("copyMs", copyMs);
        execution.note((stream.replicatedByBinlog() ? "the target replicates: " + stream.describe()
                : "the target follows the slot " + stream.slot() + " (subscription " + stream.subscription() + " in "
                + target.describe() + ")") + "; the copy took " + copyMs + " ms from the stream's start");
    }

    /** Where the dump said the stream starts (a figure of the step that uploaded it), if it said. */
    private static String recordedStart(StepExecution execution) {
        return execution.run().records().values().stream().map(r -> r.figures.get(ChangeCapture.STREAM_START))
                .filter(java.util.Objects::nonNull).map(String::valueOf).reduce((first, later) -> later).orElse(null);
    }
}
