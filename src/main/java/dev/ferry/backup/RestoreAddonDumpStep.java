package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.Inventory;
import dev.ferry.process.ToolTimeout;
import dev.ferry.restore.SqlDumpRestore;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;
import dev.ferry.steps.ImportResult;
import dev.ferry.steps.RestoreStep;
import dev.ferry.steps.Stores;

import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry:restore-addon-dump}: restores the source database's part of the add-on's dump into
 * the target through a staging database ({@link SqlDumpRestore}), so that the target ends whole or
 * as it was; refuses a non-empty target unless {@code clean}. Ferry did not make the dump, so there
 * are no source figures to compare: what it checks and reports is the gzip's CRC-32 and length over
 * the whole dump, that the SQL client exited 0 with no error line, and the target's objects and row
 * counts after the restore. Sets {@code ferry.import}.
 */
public final class RestoreAddonDumpStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("restore-addon-dump",
            "restores the source database's part of the add-on's dump into the target through a staging database, then counts what it holds",
            StepSpec.Contract.of(Set.of(Variables.ADDON_DUMP, Variables.SOURCE, Variables.TARGET, Variables.STORE, Variables.VERSION_VERDICT),
                    Set.of(Variables.IMPORT)), List.of(), List.of(RestoreStep.CLEAN, ToolTimeout.MINUTES));

    @Override
    public void execute(StepExecution execution) throws Exception {
        String step = execution.stepId();
        BackupCatalog.Backup dump = execution.input(Variables.ADDON_DUMP, BackupCatalog.Backup.class);
        String database = execution.input(Variables.SOURCE, DatabaseEndpoint.class).database();
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine engine = Engines.forName(target.engine(), step);
        if (!RestoreStep.CLEAN.flag(execution.settings(), step) && engine.databaseExists(target, step) && !engine.isEmpty(target, step)) {
            throw execution.fail(ErrorCode.TARGET_NOT_EMPTY, "Target database " + target.describe() + " is not empty",
                    "it already holds tables, views, sequences or functions",
                    "Point the migration at an empty database, or set clean: true to replace it (after a safety backup)");
        }
        AddonDumps dumps = AddonDumps.of(execution.settings(), step).orElseThrow();
        SqlDumpRestore.Restored restored;
        try (InputStream gzipped = dumps.open(Stores.artifacts(execution), dump.id(), step)) {
            restored = SqlDumpRestore.run(execution.restoreContext(), engine, target, database, gzipped, dump.id(),
                    ToolTimeout.of(execution.settings(), step));
        }
        Inventory after = engine.inventory(target, FigureRequest.counts(), step);
        execution.figure("tables", after.tables().size());
        execution.figure("rows", after.rows());
        execution.figure("objects", after.objectCount());
        after.tables().forEach((table, figures) -> execution.figure("rows." + table, figures.rows()));
        execution.note("no source figures: the add-on's dump carries none, so nothing compares the target with the source;"
                + " checked: the whole dump's gzip CRC-32 and length, that the SQL client exited 0 with no error line"
                + (restored.clientLines().isEmpty() ? " (it printed nothing)" : " (it printed: " + String.join("; ", restored.clientLines()) + ")")
                + ", and what the target holds after the restore: " + after.tables().size() + " tables, " + after.rows()
                + " rows, " + after.objectCount() + " objects");
        execution.bytes(restored.bytes());
        execution.output(Variables.IMPORT, new ImportResult(dump.uri(), target.describe(), List.of(dump.id()), restored.bytes(), false));
    }
}
