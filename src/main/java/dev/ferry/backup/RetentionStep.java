package dev.ferry.backup;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;
import dev.ferry.steps.ArtifactInput;
import dev.ferry.steps.Stores;
import dev.ferry.storage.ArtifactRef;

import java.util.List;
import java.util.Set;

/**
 * {@code ferry:retention}, a backup's last step: once the new artifact is checked, keeps the newest
 * {@code backup.keep} artifacts of the database by {@link Retention}'s rules and deletes the rest
 * (0 keeps every one). Sets {@code ferry.retention}.
 */
public final class RetentionStep implements FerryStep {

    public static final Setting KEEP = Setting.count("backup.keep", 0,
            "how many complete backups of the database to keep, the newest; 0 keeps every one");

    public static final StepSpec SPEC = StepSpec.of("retention",
            "keeps the newest backup.keep artifacts of the database, never the one just written nor one being written or read",
            StepSpec.Contract.of(Set.of(Variables.ARTIFACT, Variables.STORE, Variables.CHECK), Set.of(Variables.RETENTION)),
            List.of(), List.of(KEEP));

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        int keep = KEEP.intValue(execution.settings(), step);
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        if (keep == 0) {
            execution.note("backup.keep is 0: every backup is kept");
            execution.output(Variables.RETENTION, new Retention.Result(artifact.folder().database(), 0, List.of(), List.of()));
            return;
        }
        Retention.Result result = Retention.apply(Stores.artifacts(execution), artifact.folder().database(), keep,
                artifact.folder(), execution.run().runId(), step);
        execution.figure("kept", result.kept().size());
        execution.figure("deleted", result.deleted().size());
        result.deleted().forEach(o -> execution.note("deleted " + o.id() + " (" + o.why() + ")"));
        result.kept().forEach(o -> execution.note("kept " + o.id() + " (" + o.why() + ")"));
        execution.output(Variables.RETENTION, result);
    }
}
