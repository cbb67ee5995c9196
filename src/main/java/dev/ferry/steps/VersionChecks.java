package dev.ferry.steps;

import dev.ferry.camel.StepExecution;

import dev.ferry.spec.Setting;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.ServerVersionText;
import dev.ferry.runtime.Variables;
import dev.ferry.engine.VersionPolicy;

/** The version policy as the steps apply it: from the settings, with a warning for an allowed cross-flavour move. */
public final class VersionChecks {

    public static final Setting POLICY = Setting.choice("versionPolicy", "logical",
            "logical: target major >= source major and dump tool major >= source major; identical: same major"
                    + " (the physical pipelines set identical)", "logical", "identical");
    public static final Setting ALLOW_CROSS_FLAVOUR = Setting.flag("allowCrossFlavour", false,
            "allow MySQL to MariaDB (or back): the smoke test's differences show what did not carry");

    private VersionChecks() {
    }

    public static VersionPolicy policy(StepExecution execution) {
        return VersionPolicy.fromSetting(POLICY.choice(execution.settings(), execution.stepId()), execution.stepId());
    }

    public static void checkTarget(StepExecution execution, VersionPolicy policy, ServerVersion source, ServerVersion target) {
        boolean allowCrossFlavour = ALLOW_CROSS_FLAVOUR.flag(execution.settings(), execution.stepId());
        policy.checkTarget(source, target, allowCrossFlavour, execution.stepId());
        if (!source.flavour().equals(target.flavour())) {
            execution.note("warning: " + source.flavour() + " to " + target.flavour()
                    + " is a cross-flavour move (allowCrossFlavour is set): check the smoke test's differences closely");
        }
    }

    /**
     * The version gate of a dump: its source server's and dump tool's versions (as {@code origin}
     * says them: the manifest, the dump's head) against the target by the policy. Notes and returns
     * the verdict.
     */
    public static String checkDump(StepExecution execution, String engine, String serverVersion, String toolName,
                                   String toolVersion, String origin) {
        ServerVersion target = execution.input(Variables.TARGET_VERSION, ServerVersion.class);
        ServerVersion source = ServerVersionText.parse(engine, target.flavour(), serverVersion);
        ServerVersion tool = ServerVersionText.parse(engine, target.flavour(), toolVersion);
        VersionPolicy policy = policy(execution);
        policy.checkTool(source, tool, execution.stepId());
        checkTarget(execution, policy, source, target);
        String verdict = "policy " + policy.describe() + ": source " + source + " (dumped by " + toolName + " "
                + toolVersion + origin + ") fits target " + target;
        execution.note(verdict);
        return verdict;
    }
}
