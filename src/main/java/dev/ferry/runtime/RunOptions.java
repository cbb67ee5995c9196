package dev.ferry.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run a migration. {@code from}/{@code until} bound the steps that run (null = all);
 * {@code resumeRunId} continues an earlier run's journal instead of starting a new one;
 * {@code rehearsal} runs a cutover into its scratch target without freeze or switch ({@code rehearsal.*} settings apply).
 */
public record RunOptions(Path home, Path stateDirectory, Map<String, String> sets, String from, String until,
                         boolean dryRun, String resumeRunId, ProgressFactory progress, Console console, boolean rehearsal) {

    public RunOptions(Path home, Path stateDirectory, Map<String, String> sets, String from, String until,
                      boolean dryRun, String resumeRunId, ProgressFactory progress, Console console) {
        this(home, stateDirectory, sets, from, until, dryRun, resumeRunId, progress, console, false);
    }

    public RunOptions {
        sets = sets == null ? Map.of() : Map.copyOf(sets);
        progress = progress == null ? ProgressFactory.NONE : progress;
        console = console == null ? Console.silent() : console;
    }
}
