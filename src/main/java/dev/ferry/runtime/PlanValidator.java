package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a plan before any heavy work: every input a running step reads is set by an earlier step
 * that runs or is restored, or given up front. A missing input is reported with the step that
 * should have set it.
 */
public final class PlanValidator {

    private PlanValidator() {
    }

    /** Checks --from and --until name steps of the pipeline, in order. */
    public static void validate(PipelineDefinition pipeline, String from, String until) {
        List<String> ids = pipeline.steps();
        if (from != null && !ids.contains(from)) {
            throw unknownStep("--from", from, ids);
        }
        if (until != null && !ids.contains(until)) {
            throw unknownStep("--until", until, ids);
        }
        if (from != null && until != null && ids.indexOf(from) > ids.indexOf(until)) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "--from " + from + " comes after --until " + until,
                    null, "Steps run in the order " + ids);
        }
    }

    /** Checks every input a running step reads is available when it runs. */
    public static void validate(RunPlan plan) {
        Set<String> available = new HashSet<>(plan.givenUpFront());
        List<String> problems = new ArrayList<>();
        Map<String, String> setters = new java.util.HashMap<>();
        for (RunPlan.PlannedStep step : plan.steps()) {
            step.contract().sets().forEach(v -> setters.putIfAbsent(v, step.id()));
        }
        for (RunPlan.PlannedStep step : plan.steps()) {
            if (step.action() == RunPlan.Action.RUN) {
                for (String input : step.contract().reads()) {
                    if (!available.contains(input)) {
                        String setter = setters.get(input);
                        problems.add("step '" + step.id() + "' reads " + input + ", which "
                                + (setter == null ? "no step of this pipeline sets" : "step '" + setter + "' should have set, but it does not run"));
                    }
                }
            }
            if (step.action() != RunPlan.Action.SKIP) {
                available.addAll(step.contract().sets());
            }
        }
        if (!problems.isEmpty()) {
            throw new FerryException(ErrorCode.MISSING_INPUT, null, "The pipeline cannot run as asked",
                    String.join("; ", problems),
                    "Run the earlier steps too (drop --from), or give the input up front (for an artifact: --set artifact=s3://bucket/folder/)");
        }
    }

    private static FerryException unknownStep(String option, String step, List<String> ids) {
        return new FerryException(ErrorCode.BAD_INPUT, null, option + " names no step of this pipeline: '" + step + "'",
                null, "Use one of " + ids);
    }
}
