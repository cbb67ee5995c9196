package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.ServerVersionText;
import dev.ferry.engine.VersionPolicy;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.Manifest;

/**
 * {@code ferry:verify-versions}: checks the artifact against the target by the version policy
 * ({@code versionPolicy}: logical by default, or identical) before anything touches the target:
 * the artifact's source server and dump tool against the target server.
 * Reads {@code ferry.artifact}, {@code ferry.target.version}; sets {@code ferry.versions}.
 */
public final class VerifyVersionsStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("verify-versions",
            "checks the artifact's server and tool versions against the target by the version policy",
            StepSpec.Contract.of(Set.of(Variables.ARTIFACT, Variables.TARGET_VERSION), Set.of(Variables.VERSION_VERDICT)), List.of(), List.of(VersionChecks.POLICY, VersionChecks.ALLOW_CROSS_FLAVOUR));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        Manifest manifest = artifact.manifest();
        ServerVersion target = execution.input(Variables.TARGET_VERSION, ServerVersion.class);
        ServerVersion source = ServerVersionText.parse(manifest.engine(), target.flavour(), manifest.serverVersion());
        ServerVersion tool = ServerVersionText.parse(manifest.engine(), target.flavour(), manifest.toolVersion());
        VersionPolicy policy = VersionChecks.policy(execution);
        policy.checkTool(source, tool, step);
        VersionChecks.checkTarget(execution, policy, source, target);
        String verdict = "policy " + policy.describe() + ": source " + source + " (dumped by " + manifest.toolName() + " "
                + manifest.toolVersion() + ") fits target " + target;
        execution.note(verdict);
        execution.output(Variables.VERSION_VERDICT, verdict);
    }
}
