package dev.ferry.spec;

import dev.ferry.runtime.Settings;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code ferry:} step kind declared once, beside its class: what it does, its contract (what it
 * reads and sets, which may depend on its settings and options), its endpoint options and the
 * settings it reads.
 */
public record StepSpec(String kind, String summary, ContractRule contractRule, List<Setting> options, List<Setting> settings) {

    /** The contract of one use of the step: for example the smoke test reads the source only when it compares with it. */
    @FunctionalInterface
    public interface ContractRule {
        Contract of(Settings settings, Map<String, String> options);
    }

    /** What one use of a step reads and sets; {@code transientOutputs} cannot be journaled (see {@link StepContract}). */
    public record Contract(Set<String> reads, Set<String> sets, Set<String> transientOutputs, boolean alwaysRuns) {

        public static Contract of(Set<String> reads, Set<String> sets) {
            return new Contract(reads, sets, Set.of(), false);
        }

        public Contract alwaysRunning() {
            return new Contract(reads, sets, transientOutputs, true);
        }

        public Contract withTransient(Set<String> outputs) {
            return new Contract(reads, sets, outputs, alwaysRuns);
        }
    }

    public static StepSpec of(String kind, String summary, Contract contract, List<Setting> options, List<Setting> settings) {
        return new StepSpec(kind, summary, (s, o) -> contract, options, settings);
    }

    public StepContract contract(String stepId, Settings settings, Map<String, String> options) {
        Contract contract = contractRule.of(settings, options);
        return new StepContract(stepId, contract.reads(), contract.sets(), contract.transientOutputs(), contract.alwaysRuns(), summary);
    }

    public Setting option(String name) {
        return options.stream().filter(o -> o.key().equals(name)).findFirst().orElse(null);
    }

    /**
     * What is wrong with the options of one endpoint of this step, unknown options first (a typo in
     * {@code sql=} shows as the typo, not as a missing {@code sql}), then wrong values, then missing
     * required ones; empty when they are right.
     */
    public List<String> optionProblems(Map<String, String> given) {
        List<String> problems = new java.util.ArrayList<>();
        List<String> known = options.stream().map(Setting::key).toList();
        given.forEach((name, value) -> {
            Setting declared = option(name);
            if (declared == null) {
                problems.add("ferry:" + kind + " has no option '" + name + "'" + Suggestion.didYouMean(name, known)
                        + (known.isEmpty() ? "; it takes none" : "; it takes " + known));
            } else if (declared.problem(value) != null) {
                problems.add("ferry:" + kind + " option " + name + " is '" + value + "', which " + declared.problem(value));
            }
        });
        for (Setting declared : options) {
            String value = given.get(declared.key());
            if (declared.required() && (value == null || value.isBlank())) {
                problems.add("ferry:" + kind + " needs the option '" + declared.key() + "' (" + declared.description() + ")");
            }
        }
        return problems;
    }
}
