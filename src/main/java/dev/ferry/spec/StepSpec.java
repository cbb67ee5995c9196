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
}
