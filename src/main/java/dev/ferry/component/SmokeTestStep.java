package dev.ferry.component;

import dev.ferry.ErrorCode;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.Inventory;
import dev.ferry.runtime.Variables;
import dev.ferry.smoke.CustomCheck;
import dev.ferry.smoke.InventoryComparison;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code ferry:smoke-test}: compares source and target. Per table the row count and an
 * order-independent content checksum ({@code smoke.checksums: false} or the endpoint option
 * {@code checksums=false} compares counts only), every
 * sequence's value, and the views, functions and extensions present; then the migration's own
 * checks ({@code check.<name>.sql}, {@code check.<name>.expect}). Any difference fails the step and
 * is listed in the report. Sets {@code ferry.smoke}.
 */
final class SmokeTestStep implements FerryStep {

    private static Inventory join(CompletableFuture<Inventory> inventory) {
        try {
            return inventory.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine sourceEngine = Engines.forName(source.engine(), step);
        Engine targetEngine = Engines.forName(target.engine(), step);
        String option = execution.options().get("checksums");
        boolean checksums = option != null ? Boolean.parseBoolean(option) : execution.settings().getBoolean("smoke.checksums", true, step);

        // both servers hash their own rows, so reading them side by side halves the wait
        CompletableFuture<Inventory> fromSource = CompletableFuture.supplyAsync(() -> sourceEngine.inventory(source, checksums, step));
        Inventory actual = targetEngine.inventory(target, checksums, step);
        Inventory expected = join(fromSource);
        List<String> differences = new ArrayList<>(InventoryComparison.differences(expected, actual));
        List<CustomCheck> checks = CustomCheck.fromSettings(execution.settings());
        for (CustomCheck check : checks) {
            if (check.sql() == null) {
                differences.add("check " + check.name() + " has no check." + check.name() + ".sql");
                continue;
            }
            String want = check.comparesWithSource() ? sourceEngine.queryValue(source, check.sql(), step) : check.expect();
            String got = targetEngine.queryValue(target, check.sql(), step);
            if (!want.equals(got)) {
                differences.add("check " + check.name() + ": expected " + want + (check.comparesWithSource() ? " (as on the source)" : "")
                        + ", the target returned " + got);
            }
        }
        long rows = expected.tables().values().stream().mapToLong(Inventory.TableFigures::rows).sum();
        int objects = expected.objects().values().stream().mapToInt(java.util.Set::size).sum();
        execution.figure("tables", expected.tables().size());
        execution.figure("rows", rows);
        execution.figure("checks", checks.size());
        if (!differences.isEmpty()) {
            execution.run().differences(differences);
            throw execution.fail(ErrorCode.SMOKE_TEST_MISMATCH, "Source and target differ in " + differences.size() + " place(s)",
                    String.join("; ", differences.subList(0, Math.min(5, differences.size())))
                            + (differences.size() > 5 ? "; and " + (differences.size() - 5) + " more in the report" : ""),
                    "Do not switch over: find why the target differs (writes to the source after the dump? a failed object?) and migrate again");
        }
        execution.note("compared " + expected.tables().size() + " tables (" + rows + " rows" + (checksums ? ", content checksums" : "")
                + "), " + expected.sequences().size() + " sequences, " + objects + " other named objects (" + String.join(", ", expected.objects().keySet()) + "), "
                + checks.size() + " checks of the migration's: all equal");
        execution.output(Variables.SMOKE, new SmokeResult(expected.tables().size(), rows, expected.sequences().size(), objects,
                checks.size(), checksums));
    }
}
