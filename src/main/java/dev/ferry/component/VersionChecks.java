package dev.ferry.component;

import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.VersionPolicy;

/** The version policy as the steps apply it: from the settings, with a warning for an allowed cross-flavour move. */
final class VersionChecks {

    private VersionChecks() {
    }

    static VersionPolicy policy(StepExecution execution) {
        return VersionPolicy.fromSetting(execution.settings().get("versionPolicy", "logical"), execution.stepId());
    }

    static void checkTarget(StepExecution execution, VersionPolicy policy, ServerVersion source, ServerVersion target) {
        boolean allowCrossFlavour = execution.settings().getBoolean("allowCrossFlavour", false, execution.stepId());
        policy.checkTarget(source, target, allowCrossFlavour, execution.stepId());
        if (!source.flavour().equals(target.flavour())) {
            execution.note("warning: " + source.flavour() + " to " + target.flavour()
                    + " is a cross-flavour move (allowCrossFlavour is set): check the smoke test's differences closely");
        }
    }
}
