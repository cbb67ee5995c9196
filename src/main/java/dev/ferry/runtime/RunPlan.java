package dev.ferry.runtime;

import dev.ferry.spec.Specs;
import dev.ferry.spec.StepContract;
import dev.ferry.spec.StepUri;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The steps of one run, in order, with their endpoints and what each will do: run, skip (outside
 * --from/--until) or restore (done in the run being resumed); and the variables given up front
 * (such as an existing artifact) that no step of this run sets.
 */
public record RunPlan(List<PlannedStep> steps, Set<String> givenUpFront) {

    public enum Action { RUN, SKIP, RESTORE }

    public record PlannedStep(String id, String uri, boolean replaced, StepContract contract, Action action) {
    }

    public PlannedStep step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** Whether a step that runs after {@code stepId} in this run sets any of the variables. */
    public boolean setLater(String stepId, String... variables) {
        return later(stepId, StepContract::sets, variables);
    }

    /** Whether a step that runs after {@code stepId} in this run reads any of the variables. */
    public boolean readLater(String stepId, String... variables) {
        return later(stepId, StepContract::reads, variables);
    }

    private boolean later(String stepId, Function<StepContract, Set<String>> side, String... variables) {
        Set<String> wanted = Set.of(variables);
        return runsLater(stepId, step -> side.apply(step.contract()).stream().anyMatch(wanted::contains));
    }

    /** Whether a step that runs after {@code stepId} in this run matches. */
    public boolean runsLater(String stepId, Predicate<PlannedStep> matches) {
        boolean after = false;
        for (PlannedStep step : steps) {
            if (after && step.action() == Action.RUN && matches.test(step)) {
                return true;
            }
            after = after || step.id().equals(stepId);
        }
        return false;
    }

    /**
     * Builds the plan. A step is restored when the resumed run finished it, unless it always runs
     * or it set a transient output that a step still to run reads.
     */
    public static RunPlan of(PipelineDefinition pipeline, Settings settings, String from, String until,
                             Map<String, JournalEvent> finished, Set<String> givenUpFront) {
        List<String> ids = pipeline.steps();
        Map<String, StepContract> contracts = new LinkedHashMap<>();
        ids.forEach(id -> contracts.put(id, contractOf(pipeline, id, settings)));
        int first = from == null ? 0 : ids.indexOf(from);
        int last = until == null ? ids.size() - 1 : ids.indexOf(until);
        Map<String, Action> actions = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            StepContract contract = contracts.get(id);
            boolean inRange = i >= first && i <= last;
            if (contract.alwaysRuns() && i <= last) {
                actions.put(id, Action.RUN);
            } else if (!inRange) {
                actions.put(id, finished.containsKey(id) ? Action.RESTORE : Action.SKIP);
            } else {
                actions.put(id, finished.containsKey(id) ? Action.RESTORE : Action.RUN);
            }
        }
        // a restored step whose transient output a running step needs must run again, and so on backwards
        for (int i = ids.size() - 1; i >= 0; i--) {
            String id = ids.get(i);
            if (actions.get(id) != Action.RESTORE) {
                continue;
            }
            Set<String> transients = contracts.get(id).transientOutputs();
            for (int j = i + 1; j < ids.size(); j++) {
                if (actions.get(ids.get(j)) == Action.RUN
                        && contracts.get(ids.get(j)).reads().stream().anyMatch(transients::contains)) {
                    actions.put(id, Action.RUN);
                    break;
                }
            }
        }
        List<PlannedStep> steps = ids.stream().map(id -> {
            String parameter = PipelineDefinition.stepParameter(id);
            String uri = settings.get(parameter, "?");
            PipelineDefinition.Parameter declared = pipeline.parameters().get(parameter);
            boolean replaced = declared != null && declared.defaultValue() != null && !declared.defaultValue().equals(uri);
            return new PlannedStep(id, uri, replaced, contracts.get(id), actions.get(id));
        }).toList();
        return new RunPlan(steps, Set.copyOf(givenUpFront));
    }

    /**
     * A step's contract is that of the endpoint the pipeline gives it by default: an endpoint that
     * replaces the step keeps it. A step whose default is not a {@code ferry:} step has none.
     */
    static StepContract contractOf(PipelineDefinition pipeline, String stepId, Settings settings) {
        PipelineDefinition.Parameter declared = pipeline.parameters().get(PipelineDefinition.stepParameter(stepId));
        if (declared == null || declared.defaultValue() == null) {
            return StepContract.none(stepId);
        }
        StepUri uri = StepUri.parse(declared.defaultValue());
        if (!"ferry".equals(uri.scheme())) {
            return StepContract.none(stepId);
        }
        return Specs.loaded().step(uri.kind()).map(spec -> spec.contract(stepId, settings, uri.options()))
                .orElse(StepContract.none(stepId));
    }
}
