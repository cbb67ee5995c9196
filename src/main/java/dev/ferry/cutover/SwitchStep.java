package dev.ferry.cutover;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.cutover.SwitchResult;
import dev.ferry.cutover.SwitchTarget;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;

import java.time.Instant;

/**
 * {@code ferry:switch}: points the application at the verified target — keys of a Kubernetes Secret
 * or ConfigMap, or a command of the user's — and records what changed. Sets {@code ferry.switch}.
 * A rehearsal switches nothing.
 */
public final class SwitchStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("switch",
            "points the application at the target: a Kubernetes Secret or ConfigMap, or a command (not in a rehearsal)",
            StepSpec.Contract.of(Set.of(Variables.TARGET, Variables.SMOKE), Set.of(Variables.SWITCH)), List.of(), dev.ferry.cutover.SwitchTarget.SETTINGS);

    @Override
    public void execute(StepExecution execution) {
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        execution.input(Variables.SMOKE, Object.class);
        if (execution.run().rehearsal()) {
            execution.output(Variables.SWITCH, new SwitchResult(SwitchResult.NONE, "rehearsal: nothing switched", Instant.now()));
            execution.note("rehearsal: nothing switched");
            return;
        }
        SwitchTarget switchTarget = SwitchTarget.of(execution.settings(), execution.stepId());
        String what = switchTarget.switchTo(target, execution.run().runId(), execution.stepId());
        Instant at = Instant.now();
        execution.output(Variables.SWITCH, new SwitchResult(switchTarget.kind(), what, at));
        execution.figure("switched", what);
        execution.figure("switchedAt", at.toString());
        execution.note("switched: " + what);
    }
}
