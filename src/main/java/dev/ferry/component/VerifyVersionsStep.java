package dev.ferry.component;

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
final class VerifyVersionsStep implements FerryStep {

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
