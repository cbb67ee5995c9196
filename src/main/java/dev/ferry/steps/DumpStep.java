package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.SnapshotDump;
import dev.ferry.runtime.Variables;
import dev.ferry.smoke.CustomCheck;
import dev.ferry.smoke.Verification;

import java.time.Duration;
import java.util.List;

/**
 * {@code ferry:dump}: opens a snapshot of the source and prepares the engine's dump commands to
 * read it (for PostgreSQL, {@code pg_dumpall --globals-only --no-role-passwords} and
 * {@code pg_dump --format=custom --snapshot=...}); the source's figures are read in that same
 * snapshot while the dump streams. Nothing else runs yet: the upload starts each command and
 * streams its output, so the dump is never held in memory or on disk. Sets {@code ferry.dump}.
 */
public final class DumpStep implements FerryStep {

    public static final Setting GLOBALS = Setting.flag("dump.globals", true,
            "also dump roles and tablespaces (pg_dumpall --globals-only --no-role-passwords)");
    public static final Setting LOCK_TIMEOUT_SECONDS = Setting.integer("dump.lockTimeoutSeconds", (int) DumpOptions.DEFAULT_LOCK_TIMEOUT.toSeconds(),
            "MySQL: how long the dump may wait for, and hold, the brief lock that binds Ferry's snapshot to the dump tool's");

    public static final StepSpec SPEC = StepSpec.of("dump", "starts the dump tools; their output streams straight into the upload",
            StepSpec.Contract.of(Set.of(Variables.SOURCE, Variables.SOURCE_VERSION, Variables.TOOL_VERSION), Set.of(Variables.DUMP)).withTransient(Set.of(Variables.DUMP)),
            List.of(), List.of(GLOBALS, LOCK_TIMEOUT_SECONDS));

    @Override
    public void execute(StepExecution execution) {
        DumpJob job = prepare(execution, execution.input(Variables.SOURCE, DatabaseEndpoint.class),
                execution.input(Variables.SOURCE_VERSION, ServerVersion.class), execution.input(Variables.TOOL_VERSION, ServerVersion.class));
        job.snapshot().parts().forEach(p -> execution.note(p.name() + ": " + p.command()));
        execution.output(Variables.DUMP, job);
    }

    /**
     * Opens a snapshot of {@code database} and prepares its dump commands by this step's settings
     * (a restore's safety backup dumps the target this way); released when the run ends.
     */
    public static DumpJob prepare(StepExecution execution, DatabaseEndpoint database, ServerVersion serverVersion, ServerVersion tool) {
        String step = execution.stepId();
        Engine engine = Engines.forName(database.engine(), step);
        boolean globals = GLOBALS.flag(execution.settings(), step);
        Duration lockTimeout = Duration.ofSeconds(LOCK_TIMEOUT_SECONDS.intValue(execution.settings(), step));
        boolean checksums = SmokeTestStep.CHECKSUMS.flag(execution.settings(), step);
        int jobs = SmokeTestStep.JOBS.intValue(execution.settings(), step);
        List<CustomCheck> checks = CustomCheck.fromSettings(execution.settings());
        FigureRequest figures = new FigureRequest(checksums, null, Verification.checkQueries(checks, true), jobs);
        // an online cutover's dump reads the snapshot its change stream starts at
        dev.ferry.engine.ChangeStream changes = execution.optionalInput(Variables.CHANGES, dev.ferry.engine.ChangeStream.class);
        String given = changes == null ? null : dev.ferry.online.HeldSnapshot.id(execution.run(), changes, step);
        SnapshotDump snapshot = engine.snapshotDump(database, new DumpOptions(globals, lockTimeout, given), figures, step);
        // the snapshot, and files an engine made for its commands (a MySQL option file), go when the run ends
        execution.run().onEnd(() -> snapshot.parts().forEach(part -> engine.release(part.command())));
        execution.run().onEnd(snapshot);
        List<DumpPart> parts = snapshot.parts();
        return new DumpJob(database, serverVersion, tool, parts.get(parts.size() - 1).command().program(), snapshot);
    }
}
