package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.runtime.Variables;

/** What the online steps share: the engine's change capture and the run's change stream. */
final class OnlineSteps {

    private OnlineSteps() {
    }

    static ChangeCapture capture(StepExecution execution, DatabaseEndpoint source, DatabaseEndpoint target) {
        if (!source.engine().equals(target.engine())) {
            throw execution.fail(ErrorCode.BAD_INPUT, "An online cutover streams changes between servers of one engine",
                    "the source is " + source.engine() + ", the target " + target.engine(), "Use an offline cutover pipeline");
        }
        return Engines.forName(source.engine(), execution.stepId()).changeCapture().orElseThrow(() -> execution.fail(
                ErrorCode.BAD_INPUT, "Ferry cannot stream the changes of a " + source.engine() + " source", null,
                "Use the engine's offline cutover pipeline"));
    }

    static ChangeStream stream(StepExecution execution) {
        return execution.input(Variables.CHANGES, ChangeStream.class);
    }

    static void sleep(long millis, StepExecution execution) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw execution.fail(ErrorCode.CHANGE_CAPTURE, "Interrupted while waiting for the target", null, "Run again");
        }
    }
}
