package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:online-preflight}: before anything is created, checks what a change stream needs on
 * both servers (for PostgreSQL: wal_level, a free slot and WAL sender, the replication privileges, a
 * primary key or replica identity on every table, naming each one without, a subscription allowed
 * on the target) and fails listing every problem at once.
 */
public final class OnlinePreflightStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("online-preflight",
            "checks, creating nothing, that the source can stream its changes to the target (settings, slots, privileges, keys)",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.TARGET), Set.of()), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) {
        if (execution.run().rehearsal()) {
            throw execution.fail(ErrorCode.BAD_INPUT, "An online cutover has no rehearsal",
                    "its copy runs while the source writes and its verification needs the source frozen, which a rehearsal never is",
                    "Nothing was created; rehearse the copy with the postgres-logical pipeline into a scratch target, or run the"
                            + " online cutover itself: it freezes nothing until the target has caught up");
        }
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        ChangeCapture.Readiness readiness = OnlineSteps.capture(execution, source, target).readiness(source, target, execution.stepId());
        readiness.notes().forEach(execution::note);
        if (!readiness.problems().isEmpty()) {
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "The servers are not ready for an online cutover ("
                            + readiness.problems().size() + " problem(s))", String.join("; ", readiness.problems()),
                    "Nothing was created or changed; fix each problem, then run again (or use the offline postgres-cutover)");
        }
        execution.note("source and target are ready to stream changes");
    }
}
