package dev.ferry.runtime;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunPlanTest {

    static final PipelineDefinition PIPELINE = PipelineCatalog.load(PreparedMigrationTest.HOME).get("postgres-logical");
    static final Settings SETTINGS = new Settings(Map.of());

    private static Map<String, JournalEvent> finished(String... steps) {
        Map<String, JournalEvent> done = new LinkedHashMap<>();
        for (String step : steps) {
            done.put(step, new JournalEvent(JournalEvent.STEP_FINISHED, Instant.now(), step, null, null, null, null, null, null, null));
        }
        return done;
    }

    private static List<RunPlan.Action> actions(RunPlan plan) {
        return plan.steps().stream().map(RunPlan.PlannedStep::action).toList();
    }

    @Test
    void untilStopsAfterTheStepAndFromSkipsEarlierStepsButCredentialsAndPreflightAlwaysRun() {
        RunPlan plan = RunPlan.of(PIPELINE, SETTINGS, "verify-versions", "import", Map.of(), Set.of());
        assertThat(actions(plan)).containsExactly(RunPlan.Action.RUN, RunPlan.Action.RUN, RunPlan.Action.SKIP,
                RunPlan.Action.SKIP, RunPlan.Action.RUN, RunPlan.Action.RUN, RunPlan.Action.SKIP);
    }

    @Test
    void resumeAfterAFailedImportRestoresDumpAndUploadAndRunsTheRest() {
        RunPlan plan = RunPlan.of(PIPELINE, SETTINGS, null, null,
                finished("collect-credentials", "preflight", "dump", "upload", "verify-versions"), Set.of());
        assertThat(actions(plan)).containsExactly(RunPlan.Action.RUN, RunPlan.Action.RUN, RunPlan.Action.RESTORE,
                RunPlan.Action.RESTORE, RunPlan.Action.RESTORE, RunPlan.Action.RUN, RunPlan.Action.RUN);
    }

    @Test
    void aDumpCountsAsDoneOnlyOnceItsUploadIsDone() {
        RunPlan plan = RunPlan.of(PIPELINE, SETTINGS, null, null, finished("collect-credentials", "preflight", "dump"), Set.of());
        assertThat(plan.step("dump").action()).isEqualTo(RunPlan.Action.RUN);
        assertThat(plan.step("upload").action()).isEqualTo(RunPlan.Action.RUN);
    }

    @Test
    void aStepParameterInTheSettingsReplacesTheDefaultEndpoint() {
        RunPlan plan = RunPlan.of(PIPELINE, new Settings(Map.of("step.import", "direct:mine", "step.dump", "ferry:dump")),
                null, null, Map.of(), Set.of());
        assertThat(plan.step("import").uri()).isEqualTo("direct:mine");
        assertThat(plan.step("import").replaced()).isTrue();
        assertThat(plan.step("dump").replaced()).isFalse();
        assertThat(PIPELINE.file()).isEqualTo(PreparedMigrationTest.HOME.resolve(Path.of("pipelines", "postgres-logical.camel.yaml")));
    }
}
