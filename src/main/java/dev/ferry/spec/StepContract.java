package dev.ferry.spec;

import java.util.Set;

/**
 * What a pipeline step reads and sets. Any endpoint replacing the step must keep it.
 * {@code transientOutputs} cannot be journaled (a live stream, collected credentials): a step that
 * sets one is done on resume only if every later step reading it is done, or, for
 * {@code alwaysRuns} steps, it runs again.
 */
public record StepContract(String step, Set<String> reads, Set<String> sets, Set<String> transientOutputs,
                           boolean alwaysRuns, String summary) {

    public static StepContract none(String step) {
        return new StepContract(step, Set.of(), Set.of(), Set.of(), false, "a step of the user's (no declared contract)");
    }
}
