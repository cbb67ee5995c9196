package dev.ferry.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run a migration. {@code from}/{@code until} bound the steps that run (null = all);
 * {@code resumeRunId} continues an earlier run's journal instead of starting a new one.
 */
public record RunOptions(Path home, Path stateDirectory, Map<String, String> sets, String from, String until,
                         boolean dryRun, String resumeRunId, ProgressFactory progress, Console console) {

    public RunOptions {
        sets = sets == null ? Map.of() : Map.copyOf(sets);
        progress = progress == null ? ProgressFactory.NONE : progress;
        console = console == null ? Console.silent() : console;
    }
}
