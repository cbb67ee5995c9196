package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
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
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        Manifest manifest = artifact.manifest();
        String verdict = VersionChecks.checkDump(execution, manifest.engine(), manifest.serverVersion(), manifest.toolName(),
                manifest.toolVersion(), "");
        execution.output(Variables.VERSION_VERDICT, verdict);
    }
}
