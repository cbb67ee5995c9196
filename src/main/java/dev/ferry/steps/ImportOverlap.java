package dev.ferry.steps;

import dev.ferry.camel.StepExecution;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.restore.OverlappedRestore;
import dev.ferry.runtime.RunPlan;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepUri;

/**
 * Whether the upload also restores (see {@link OverlappedRestore}): when {@code import.overlap} is on,
 * a later step of this run is Ferry's own restore, the target is known, its engine stages imports,
 * and the import would be staged ({@code clean} is off, {@code import.jobs} is 1 or the engine's
 * parallel restore reads the stream). Otherwise the
 * import step restores from S3 after the upload, and the upload's report says why.
 */
final class ImportOverlap {

    private ImportOverlap() {
    }

    static OverlappedRestore begin(StepExecution execution) {
        String step = execution.stepId();
        if (!restoreRunsLater(execution.run().plan(), step)) {
            return null;
        }
        DatabaseEndpoint target = execution.optionalInput(Variables.TARGET, DatabaseEndpoint.class);
        if (target == null) {
            return null;
        }
        String why = null;
        Engine engine = Engines.forName(target.engine(), step);
        if (!RestoreStep.OVERLAP.flag(execution.settings(), step)) {
            why = "import.overlap is false";
        } else if (!engine.stagesImports()) {
            why = target.engine() + " does not stage imports";
        } else if (RestoreStep.CLEAN.flag(execution.settings(), step)) {
            why = "clean: true restores in place, after the upload";
        } else if (RestoreStep.JOBS.intValue(execution.settings(), step) > 1 && engine.parallelRestoreNeedsFile()) {
            why = "import.jobs above 1 restores from a local copy of the stored dump";
        }
        OverlappedRestore overlap = why == null
                ? OverlappedRestore.begin(execution.restoreContext(), Stores.artifacts(execution), engine, target,
                        RestoreStep.restoreOptions(execution))
                : null;
        if (overlap == null) {
            execution.note("the import starts after the upload" + (why == null ? "" : ": " + why));
        } else {
            execution.note("restoring into the staging database " + overlap.staging().database() + " while the dump uploads");
        }
        return overlap;
    }

    private static boolean restoreRunsLater(RunPlan plan, String stepId) {
        return plan.runsLater(stepId, planned -> {
            if (planned.uri() == null) {
                return false;
            }
            StepUri uri = StepUri.parse(planned.uri());
            return "ferry".equals(uri.scheme()) && RestoreStep.SPEC.kind().equals(uri.kind());
        });
    }
}
