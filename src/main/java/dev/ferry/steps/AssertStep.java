package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:assert?sql=...&expect=...[&on=target|source]}: runs one query returning one value
 * and fails unless it equals {@code expect}. For routes of the user's that add checks to a step.
 */
public final class AssertStep implements FerryStep {

    public static final Setting ON = Setting.choice("on", "target", "the database the query runs on", "target", "source");
    public static final Setting SQL = Setting.text("sql", null, "the query; it returns one value (wrap it in RAW(...))").mandatory();
    public static final Setting EXPECT = Setting.text("expect", null, "the value the query must return");

    public static final StepSpec SPEC = new StepSpec("assert", "runs one query and fails the run unless it returns the expected value",
            (settings, options) -> StepSpec.Contract.of("source".equals(options.get("on")) ? Set.of(Variables.SOURCE) : Set.of(Variables.TARGET), Set.of()),
            List.of(ON, SQL, EXPECT), List.of());

    @Override
    public void execute(StepExecution execution) {
        String sql = execution.options().get("sql");
        String expect = execution.options().get("expect");
        String on = execution.options().getOrDefault("on", "target");
        if (sql == null || expect == null || !(on.equals("target") || on.equals("source"))) {
            throw execution.fail(ErrorCode.BAD_INPUT, "ferry:assert needs sql, expect and on=target|source",
                    "it has " + execution.options().keySet(), "Write ferry:assert?sql=SELECT ...&expect=value");
        }
        DatabaseEndpoint database = execution.input(on.equals("source") ? Variables.SOURCE : Variables.TARGET, DatabaseEndpoint.class);
        String got = Engines.forName(database.engine(), execution.stepId()).queryValue(database, sql, execution.stepId());
        if (!expect.equals(got)) {
            execution.run().differences(java.util.List.of("assertion on " + on + " '" + sql + "': expected " + expect + ", got " + got));
            throw execution.fail(ErrorCode.SMOKE_TEST_MISMATCH, "Assertion failed on the " + on,
                    "'" + sql + "' returned " + got + ", expected " + expect, "Find why the " + on + " differs before switching over");
        }
        execution.note("assertion on " + on + " held: " + sql + " = " + expect);
    }
}
