package dev.ferry.component;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.ServerVersion;
import dev.ferry.runtime.Variables;

import java.util.List;

/**
 * {@code ferry:dump}: prepares the engine's dump commands for the source (for PostgreSQL,
 * {@code pg_dumpall --globals-only --no-role-passwords} and {@code pg_dump --format=custom}).
 * Nothing runs yet: the upload starts each command and streams its output, so the dump is never
 * held in memory or on disk. Sets {@code ferry.dump}.
 */
final class DumpStep implements FerryStep {

    @Override
    public void execute(StepExecution execution) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        Engine engine = Engines.forName(source.engine(), execution.stepId());
        boolean globals = execution.settings().getBoolean("dump.globals", true, execution.stepId());
        List<DumpPart> parts = engine.dumpParts(source, new DumpOptions(globals));
        // files an engine made for its commands (a MySQL option file) go when the run ends, whatever happens
        execution.run().onEnd(() -> parts.forEach(part -> engine.release(part.command())));
        ServerVersion tool = execution.input(Variables.TOOL_VERSION, ServerVersion.class);
        DumpJob job = new DumpJob(source, execution.input(Variables.SOURCE_VERSION, ServerVersion.class), tool,
                parts.get(parts.size() - 1).command().program(), parts);
        parts.forEach(p -> execution.note(p.name() + ": " + p.command()));
        execution.output(Variables.DUMP, job);
    }
}
