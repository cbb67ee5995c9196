package dev.ferry.runtime;

import org.apache.camel.Exchange;

/** Which pipeline step an exchange is in, as set by the step guard. */
public final class CurrentStep {

    private CurrentStep() {
    }

    /** The id of the pipeline step running now, or {@code fallback} outside a guarded step. */
    public static String of(Exchange exchange, String fallback) {
        String step = exchange.getProperty(StepGuard.CURRENT_STEP, String.class);
        return step == null ? fallback : step;
    }
}
